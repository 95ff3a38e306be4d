import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../support/cli.js';

/**
 * Bad input through the real CLI: every case must end in one clear message (what and where, and
 * mostly what to do), a non-zero exit code and no stack trace. Cases run a few at a time.
 */
const TESTS_DIR = path.resolve(import.meta.dirname, '..');
/** tfjs as core resolves it, for hook modules written into temporary folders. */
const TFJS = createRequire(path.resolve(TESTS_DIR, '../packages/core/package.json')).resolve('@tensorflow/tfjs');
/** core's build, the module instance the CLI loads (a temporary folder has no node_modules to find it by name). */
const CORE = path.resolve(TESTS_DIR, '../packages/core/dist/index.js');
const POOL = 4;

/** A valid toy run (10 samples, 1 epoch) that each case breaks in one place. */
function toy(dir: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    custom_imports: { imports: ['@trainkit/core/testing'] },
    work_dir: path.join(dir, 'work'),
    model: { type: 'ToyModel' },
    train_dataloader: { dataset: { type: 'ToyDataset' }, batch_size: 2 },
    train_cfg: { by_epoch: true, max_epochs: 1 },
    optim_wrapper: { optimizer: { type: 'SGD', lr: 0.1 } },
    default_hooks: { logger: { type: 'LoggerHook', interval: 1 } },
    env_cfg: { backend: 'cpu' },
    log_level: 'WARNING',
    ...extra,
  };
}

interface Case {
  name: string;
  /** Writes what the case needs into `dir`; returns the CLI arguments. */
  setup(dir: string): string[] | Promise<string[]>;
  /** What the message must say. */
  says: RegExp | RegExp[];
  env?: NodeJS.ProcessEnv;
}

const json = (dir: string, cfg: unknown, name = 'cfg.json') => {
  const file = path.join(dir, name);
  fs.writeFileSync(file, typeof cfg === 'string' ? cfg : JSON.stringify(cfg));
  return file;
};
const train = (dir: string, cfg: unknown, ...more: string[]) => ['train', json(dir, cfg), ...more];
const withHooks = (dir: string, hooks: Record<string, unknown>) => toy(dir, { default_hooks: { logger: null, ...hooks } });

let url = '';
let goodCheckpoint = '';

/** A checkpoint file of the toy model with `edit` applied to its bytes. */
function brokenCheckpoint(dir: string, edit: (b: Buffer) => Buffer): string {
  const file = path.join(dir, 'broken.safetensors');
  fs.writeFileSync(file, edit(Buffer.from(fs.readFileSync(goodCheckpoint))));
  return file;
}

/** The header JSON of a checkpoint file, edited, with the file laid out again (checksum not redone). */
function editHeader(b: Buffer, edit: (h: Record<string, Record<string, unknown>>) => void): Buffer {
  const n = Number(b.readBigUInt64LE(0));
  const header = JSON.parse(b.subarray(8, 8 + n).toString('utf8'));
  edit(header);
  const text = Buffer.from(JSON.stringify(header));
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(text.length));
  return Buffer.concat([len, text, b.subarray(8 + n)]);
}

/** A small file system mounted at `dir` (root only); undefined where mounting is not allowed. */
function mountTmpfs(dir: string, opts: string): boolean {
  fs.mkdirSync(dir, { recursive: true });
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', opts, 'tmpfs', dir], { stdio: 'ignore' });
    mounted.push(dir);
    return true;
  } catch {
    return false;
  }
}
const mounted: string[] = [];
const canMount = (() => {
  const probe = tempDir('trainkit-mount-probe-');
  const ok = mountTmpfs(path.join(probe, 'm'), 'size=64k');
  return ok;
})();

const CASES: Case[] = [
  // ---- config syntax, every format ------------------------------------------------------
  { name: 'JSON syntax error', setup: (d) => ['train', json(d, '{"model": {"type": "ToyModel",}}')], says: /cfg\.json: cannot parse the config/ },
  { name: 'YAML syntax error', setup: (d) => ['train', json(d, 'model:\n  type: [ToyModel\n', 'cfg.yaml')], says: /cfg\.yaml: cannot parse the config/ },
  { name: 'YAML top level is a list', setup: (d) => ['train', json(d, '- a\n- b\n', 'cfg.yaml')], says: /a config must be an object/ },
  { name: 'JSON top level is a number', setup: (d) => ['train', json(d, '42')], says: /a config must be an object/ },
  {
    name: '.js syntax error names the line',
    setup: (d) => ['train', json(d, 'export default {\n  model: { type: "ToyModel" },,\n};\n', 'cfg.js')],
    says: /cfg\.js: cannot load the config module: .*\(line 2, column \d+\)/,
  },
  {
    name: '.mjs syntax error names the line',
    setup: (d) => ['train', json(d, 'export default {\n\n  model: = 1,\n};\n', 'cfg.mjs')],
    says: /cfg\.mjs: cannot load the config module: .*\(line 3, column \d+\)/,
  },
  {
    name: '.ts syntax error',
    setup: (d) => ['train', json(d, 'export default {\n  model: { type: "ToyModel" ,\n};\n', 'cfg.ts')],
    says: /cfg\.ts: cannot load the config module/,
  },
  { name: '.cjs syntax error', setup: (d) => ['train', json(d, 'module.exports = {{;\n', 'cfg.cjs')], says: /cfg\.cjs: cannot load the config module/ },
  {
    name: '.ts config function that throws',
    setup: (d) => ['train', json(d, 'export default () => {\n  throw new Error("no data root");\n};\n', 'cfg.ts')],
    says: /cfg\.ts: the config function threw: no data root \(line 2/,
  },
  {
    name: '.js config that throws while loading',
    setup: (d) => ['train', json(d, 'throw new Error("boom at load");\n', 'cfg.mjs')],
    says: /cfg\.mjs: cannot load the config module: boom at load/,
  },
  { name: 'config file missing', setup: (d) => ['train', path.join(d, 'nope.json')], says: /nope\.json: config file not found/ },
  { name: 'config with an unsupported extension', setup: (d) => ['train', json(d, 'x', 'cfg.txt')], says: /unsupported config file type "\.txt"/ },
  { name: '_base_ file missing', setup: (d) => train(d, { _base_: './base_missing.json' }), says: /base_missing\.json/ },
  { name: '_base_ not a path', setup: (d) => train(d, { _base_: 5 }), says: /_base_ must be a path or a list of paths/ },
  {
    name: '_base_ cycle',
    setup: (d) => {
      json(d, { _base_: './b.json' }, 'a.json');
      json(d, { _base_: './a.json' }, 'b.json');
      return ['train', path.join(d, 'a.json')];
    },
    says: /a\.json|b\.json/,
  },
  {
    name: '"__proto__" key in a JSON config',
    setup: (d) => train(d, `{"__proto__": {"polluted": 1}, "work_dir": "${path.join(d, 'w')}"}`),
    says: /"__proto__" is not allowed as a config key/,
  },
  {
    name: '"__proto__" deep in a config',
    setup: (d) => train(d, JSON.stringify(toy(d)).replace('"model":{', '"model":{"__proto__":{"x":1},')),
    says: /model\.__proto__: "__proto__" is not allowed/,
  },

  // ---- unknown keys and types ---------------------------------------------------------------
  {
    name: 'unknown model type',
    setup: (d) => train(d, toy(d, { model: { type: 'ToyModle' } })),
    says: /"ToyModle" is not in the .*model registry[\s\S]*did you mean "ToyModel"/,
  },
  {
    name: 'unknown dataset type',
    setup: (d) => train(d, toy(d, { train_dataloader: { dataset: { type: 'ToyDatset' }, batch_size: 2 } })),
    says: /did you mean "ToyDataset"/,
  },
  {
    name: 'misspelt hook that is installed but not imported yet',
    setup: (d) => train(d, toy(d, { custom_hooks: [{ type: 'EMAHok' }] })),
    says: /"EMAHok" is not in the .*hook registry[\s\S]*did you mean "EMAHook"/,
  },
  {
    name: 'unknown optimizer',
    setup: (d) => train(d, toy(d, { optim_wrapper: { optimizer: { type: 'SDG', lr: 0.1 } } })),
    says: /"SDG"[\s\S]*did you mean "SGD"/,
  },
  {
    name: 'unknown metric',
    setup: (d) => train(d, toy(d, { val_dataloader: { dataset: { type: 'ToyDataset' }, batch_size: 2 }, val_cfg: {}, val_evaluator: { type: 'Acuracy' } })),
    says: /did you mean "Accuracy"/,
  },
  {
    name: 'unknown parameter scheduler',
    setup: (d) => train(d, toy(d, { param_scheduler: [{ type: 'CosineLR' }] })),
    says: /"CosineLR" is not in the .*parameter scheduler registry/,
  },
  {
    name: 'unknown vis backend',
    setup: (d) => train(d, toy(d, { visualizer: { vis_backends: [{ type: 'LocalVisBackedn' }] } })),
    says: /did you mean "LocalVisBackend"/,
  },
  {
    name: 'unknown backend lists only usable ones',
    setup: (d) => train(d, toy(d, { env_cfg: { backend: 'webgl' } })),
    says: [/env_cfg\.backend: unknown backend "webgl"/, /use one of: .*cpu.*wasm/],
  },
  {
    name: 'tfjs-node backend not installed',
    setup: (d) => train(d, toy(d, { env_cfg: { backend: 'tensorflow' } })),
    says: /"@tensorflow\/tfjs-node" package is not installed/,
  },
  { name: 'type is not a string', setup: (d) => train(d, toy(d, { model: { type: 5 } })), says: /model\.type: "type" must be a string or a class/ },
  { name: 'model without a type', setup: (d) => train(d, toy(d, { model: {} })), says: /model: the model config has no "type"/ },
  {
    name: 'custom_imports of a package that is not installed',
    setup: (d) => train(d, toy(d, { custom_imports: { imports: ['@trainkit/core/testing', 'trainkit-plugin-nope'] } })),
    says: /trainkit-plugin-nope/,
  },
  {
    name: 'custom_imports of a missing file',
    setup: (d) => train(d, toy(d, { custom_imports: { imports: ['@trainkit/core/testing', './missing-hook.ts'] } })),
    says: /missing-hook\.ts/,
  },
  { name: 'unknown CheckpointHook option', setup: (d) => train(d, withHooks(d, { checkpoint: { type: 'CheckpointHook', intervall: 1 } })), says: /intervall/ },
  { name: 'unknown LoggerHook option', setup: (d) => train(d, withHooks(d, { logger: { type: 'LoggerHook', intrval: 1 } })), says: /intrval/ },
  { name: 'unknown log_level', setup: (d) => train(d, toy(d, { log_level: 'LOUD' })), says: /log_level: unknown log level/ },
  { name: 'unknown command', setup: () => ['trian', 'x.json'], says: /unknown command "trian"/ },

  // ---- wrong values ---------------------------------------------------------------------------
  { name: 'train_dataloader without train_cfg', setup: (d) => train(d, toy(d, { train_cfg: null })), says: /train_cfg.*should be either all set or all unset/ },
  {
    name: 'param_scheduler without optim_wrapper',
    setup: (d) => train(d, toy(d, { train_dataloader: null, train_cfg: null, optim_wrapper: null, param_scheduler: [{ type: 'LinearLR' }] })),
    says: /param_scheduler needs an optim_wrapper/,
  },
  {
    name: 'save_best with duplicate keys',
    setup: (d) => train(d, withHooks(d, { checkpoint: { type: 'CheckpointHook', save_best: ['acc', 'acc'] } })),
    says: /save_best has duplicate keys/,
  },
  {
    name: 'save_best rule that is not greater/less',
    setup: (d) => train(d, withHooks(d, { checkpoint: { type: 'CheckpointHook', save_best: 'acc', rule: 'bigger' } })),
    says: /rule must be greater, less or None/,
  },
  {
    name: 'save_best auto with other keys',
    setup: (d) => train(d, withHooks(d, { checkpoint: { type: 'CheckpointHook', save_best: ['auto', 'acc'] } })),
    says: /'auto' must be the only key/,
  },
  {
    name: 'checkpoint interval as a string',
    setup: (d) => train(d, withHooks(d, { checkpoint: { type: 'CheckpointHook', interval: 'often' } })),
    says: /interval/,
  },
  { name: '--seed that is not a number', setup: (d) => train(d, toy(d), '--seed', 'abc'), says: /--seed must be an integer/ },
  {
    name: 'env_cfg.nonfinite_loss with a bad value',
    setup: (d) => train(d, toy(d, { env_cfg: { backend: 'cpu', nonfinite_loss: 'ignore' } })),
    says: /env_cfg\.nonfinite_loss: invalid value for env_cfg: .*"error"\|"skip"/,
  },
  {
    name: 'env_cfg.loss_divergence_factor below 1',
    setup: (d) => train(d, toy(d, { env_cfg: { backend: 'cpu', loss_divergence_factor: 0.5 } })),
    says: /env_cfg\.loss_divergence_factor: invalid value for env_cfg: .*>1/,
  },
  {
    name: "env_cfg.nonfinite_loss: 'skip' without AMP",
    setup: (d) => train(d, toy(d, { env_cfg: { backend: 'cpu', nonfinite_loss: 'skip' } })),
    says: /'skip' needs an optimizer wrapper that skips non-finite steps/,
  },
  {
    name: 'a learning rate so high the loss becomes non-finite',
    setup: (d) => train(d, toy(d, { optim_wrapper: { optimizer: { type: 'SGD', lr: 1e30 } } })),
    says: /iteration \d+: the loss term "loss" is (NaN|-?Infinity), so training stopped[\s\S]*lower the learning rate/,
  },
  {
    name: 'a leaky custom hook (the leak guard is on in the CLI)',
    setup: (d) => {
      fs.writeFileSync(
        path.join(d, 'leaky.mjs'),
        `import * as tf from ${JSON.stringify(TFJS)};\nimport { HOOKS, Hook } from ${JSON.stringify(CORE)};\nclass LeakyHook extends Hook { afterTrainIter() { tf.scalar(1); } }\nHOOKS.register('LeakyHook', LeakyHook, { force: true });\n`,
      );
      return train(d, toy(d, { custom_imports: { imports: ['@trainkit/core/testing', './leaky.mjs'] }, custom_hooks: [{ type: 'LeakyHook' }] }));
    },
    says: /tensor leak: LeakyHook\.afterTrainIter left 1 tensor\(s\) alive/,
  },
  {
    name: '"__proto__" in --cfg-options',
    setup: (d) => train(d, toy(d), '--cfg-options', '__proto__.polluted=1'),
    says: /"__proto__" is not allowed in an option key/,
  },
  { name: '--cfg-options without =', setup: (d) => train(d, toy(d), '--cfg-options', 'train_cfg.max_epochs'), says: /--cfg-options expects KEY=VALUE/ },
  {
    name: '--cfg-options list index out of range',
    setup: (d) => train(d, toy(d, { param_scheduler: [{ type: 'LinearLR', end: 2 }] }), '--cfg-options', 'param_scheduler.3.end=1'),
    says: /Index 3 exceeds the length of list param_scheduler/,
  },
  { name: '--cfg-options with unbalanced brackets', setup: (d) => train(d, toy(d), '--cfg-options', 'a=[1,2'), says: /unbalanced brackets/ },

  // ---- broken checkpoints ------------------------------------------------------------------------
  {
    name: 'load_from a missing file',
    setup: (d) => train(d, toy(d, { load_from: path.join(d, 'gone.safetensors') })),
    says: /gone\.safetensors: cannot open the checkpoint \(no such file; check load_from/,
  },
  { name: 'load_from a folder', setup: (d) => train(d, toy(d, { load_from: d })), says: /is a folder, not a checkpoint file/ },
  {
    name: '--resume from a missing file',
    setup: (d) => train(d, toy(d), '--resume', path.join(d, 'gone.safetensors')),
    says: /gone\.safetensors: cannot open the checkpoint/,
  },
  {
    name: 'load_from a text file',
    setup: (d) => train(d, toy(d, { load_from: json(d, 'hello world, not a checkpoint', 'notes.safetensors') })),
    says: /notes\.safetensors: not a safetensors checkpoint/,
  },
  {
    name: 'load_from an empty file',
    setup: (d) => train(d, toy(d, { load_from: json(d, '', 'empty.safetensors') })),
    says: /empty\.safetensors: truncated: 0 bytes/,
  },
  {
    name: 'load_from a truncated checkpoint',
    setup: (d) => train(d, toy(d, { load_from: brokenCheckpoint(d, (b) => b.subarray(0, b.length - 7)) })),
    says: /broken\.safetensors: truncated/,
  },
  {
    name: 'load_from a checkpoint cut inside its header',
    setup: (d) => train(d, toy(d, { load_from: brokenCheckpoint(d, (b) => b.subarray(0, 40)) })),
    says: /broken\.safetensors: truncated: the header alone should be/,
  },
  {
    name: 'load_from a checkpoint with a damaged byte',
    setup: (d) =>
      train(
        d,
        toy(d, {
          load_from: brokenCheckpoint(d, (b) => {
            b[b.length - 1] ^= 0xff;
            return b;
          }),
        }),
      ),
    says: /checksum mismatch/,
  },
  {
    name: 'load_from a checkpoint with a broken header JSON',
    setup: (d) =>
      train(
        d,
        toy(d, {
          load_from: brokenCheckpoint(d, (b) => {
            b[9] = 0x7b;
            return b;
          }),
        }),
      ),
    says: /broken\.safetensors: corrupted checkpoint: the header is not valid JSON/,
  },
  {
    name: 'load_from a checkpoint with an unknown dtype',
    setup: (d) =>
      train(
        d,
        toy(d, {
          load_from: brokenCheckpoint(d, (b) =>
            editHeader(b, (h) => {
              h[Object.keys(h).find((k) => k !== '__metadata__')!].dtype = 'Q7';
            }),
          ),
        }),
      ),
    says: /has an unknown dtype "Q7"/,
  },
  {
    name: 'load_from a checkpoint with overlapping offsets',
    setup: (d) =>
      train(
        d,
        toy(d, {
          load_from: brokenCheckpoint(d, (b) =>
            editHeader(b, (h) => {
              const k = Object.keys(h).filter((x) => x !== '__metadata__');
              h[k[1]].data_offsets = h[k[0]].data_offsets;
              h[k[1]].shape = h[k[0]].shape;
              h[k[1]].dtype = h[k[0]].dtype;
            }),
          ),
        }),
      ),
    says: /corrupted checkpoint: the tensor data has/,
  },
  {
    name: 'load_from a checkpoint from a newer trainkit',
    setup: (d) =>
      train(
        d,
        toy(d, {
          load_from: brokenCheckpoint(d, (b) =>
            editHeader(b, (h) => {
              h.__metadata__['trainkit.format_version'] = '99';
            }),
          ),
        }),
      ),
    says: /written by a newer trainkit/,
  },
  {
    name: 'resume from a crafted checkpoint with "__proto__" in its state',
    setup: (d) => {
      const file = brokenCheckpoint(d, (b) =>
        editHeader(b, (h) => {
          const state = JSON.parse(h.__metadata__['trainkit.state'] as string);
          state.meta = JSON.parse(`{"__proto__": {"epoch": 7}, ${JSON.stringify(state.meta).slice(1)}`);
          h.__metadata__['trainkit.state'] = JSON.stringify(state);
        }),
      );
      return train(d, toy(d), '--resume', file);
    },
    says: /holds a "__proto__" key|checksum mismatch/,
  },
  {
    name: 'load_from a checkpoint of another model (shape mismatch)',
    setup: (d) => {
      const file = brokenCheckpoint(d, (b) =>
        editHeader(b, (h) => {
          const k = Object.keys(h).find((x) => x !== '__metadata__' && (h[x].shape as number[]).length === 2)!;
          const s = h[k].shape as number[];
          h[k].shape = [s[1], s[0]];
        }),
      );
      return train(d, toy(d, { load_from: file }));
    },
    says: [/broken\.safetensors: cannot load "[^"]+": the checkpoint has shape/, /load a checkpoint saved by this model/],
  },
  {
    name: 'load_from a URL that answers 404',
    setup: (d) => train(d, toy(d, { load_from: `${url}/missing.safetensors` })),
    says: /cannot download http:\/\/127\.0\.0\.1:\d+\/missing\.safetensors: HTTP 404/,
    env: {},
  },
  {
    name: 'load_from a URL nobody listens on',
    setup: (d) => train(d, toy(d, { load_from: 'http://127.0.0.1:9/model.safetensors' })),
    says: /cannot download http:\/\/127\.0\.0\.1:9\/model\.safetensors: .*(ECONNREFUSED|connect)/,
  },
  {
    name: 'load_from a URL with the download cache unwritable',
    setup: (d) => train(d, toy(d, { load_from: `${url}/model.safetensors` })),
    says: /cannot create the download cache .*TRAINKIT_CACHE_DIR/,
    env: { TRAINKIT_CACHE_DIR: '/proc/trainkit-cache' },
  },
  {
    name: 'load_from a URL larger than download_max_size',
    setup: (d) => train(d, toy(d, { load_from: `${url}/model.safetensors` })),
    says: /more than the limit of 0\.0 MB/,
    env: { TRAINKIT_DOWNLOAD_MAX_SIZE: '10' },
  },

  // ---- unwritable and full disks -------------------------------------------------------------------
  {
    name: 'work_dir is a file',
    setup: (d) => train(d, toy(d, { work_dir: json(d, 'x', 'a-file') })),
    says: /cannot create work_dir .*a-file: a file is in the way/,
  },
  {
    name: 'work_dir below a file',
    setup: (d) => train(d, toy(d, { work_dir: path.join(json(d, 'x', 'a-file'), 'sub') })),
    says: /a-file\/sub: a file is in the way where a folder is needed \(ENOTDIR\)/,
  },
  {
    name: 'checkpoint out_dir is a file',
    setup: (d) => train(d, withHooks(d, { checkpoint: { type: 'CheckpointHook', interval: 1, out_dir: json(d, 'x', 'out-file') } })),
    says: /cannot save checkpoints to .*out-file.*a file is in the way/,
  },
  {
    name: 'work_dir in /proc (not writable)',
    setup: (d) => train(d, toy(d, { work_dir: '/proc/trainkit-run' })),
    says: /cannot create work_dir \/proc\/trainkit-run: /,
  },
  ...(canMount
    ? ([
        {
          name: 'read-only work_dir (read-only mount)',
          setup: (d) => {
            // writable while the work_dir is made, then read-only: as a disk remounted read-only
            const ro = path.join(d, 'ro');
            mountTmpfs(ro, 'size=64k');
            fs.mkdirSync(path.join(ro, 'work'));
            execFileSync('mount', ['-o', 'remount,ro', ro], { stdio: 'ignore' });
            return train(d, toy(d, { work_dir: path.join(ro, 'work') }));
          },
          says: /ro\/work: the file system is read-only \(EROFS\)/,
        },
        {
          name: 'disk full before the run starts',
          setup: (d) => {
            const small = path.join(d, 'small');
            mountTmpfs(small, 'size=16k');
            fs.mkdirSync(path.join(small, 'work'));
            try {
              fs.writeFileSync(path.join(small, 'filler'), Buffer.alloc(64 * 1024));
            } catch {}
            return train(d, toy(d, { work_dir: path.join(small, 'work') }));
          },
          says: /small\/work.*: the disk is full \(ENOSPC\)/,
        },
        {
          name: 'disk full at the first checkpoint',
          setup: (d) => {
            const small = path.join(d, 'small');
            mountTmpfs(small, 'size=8k');
            fs.mkdirSync(path.join(small, 'work'));
            try {
              fs.writeFileSync(path.join(small, 'filler'), Buffer.alloc(64 * 1024));
            } catch {}
            return train(d, withHooks(d, { checkpoint: { type: 'CheckpointHook', interval: 1, out_dir: small } }), '--cfg-options', 'model.type=ToyModel');
          },
          says: /(not enough free disk space|the disk is full)/,
        },
      ] as Case[])
    : []),

  // ---- command lines ---------------------------------------------------------------------------------
  { name: 'train with two configs', setup: (d) => train(d, toy(d), 'other.json'), says: /train takes exactly one config file/ },
  { name: 'train without a config', setup: () => ['train'], says: /train takes exactly one config file/ },
  { name: 'unknown option', setup: (d) => train(d, toy(d), '--fast'), says: /unknown option --fast/ },
  { name: '--work-dir without a value', setup: (d) => train(d, toy(d), '--work-dir'), says: /--work-dir needs a value/ },
  { name: 'test without a checkpoint', setup: (d) => ['test', json(d, toy(d))], says: /test takes a config file and a checkpoint/ },
  {
    name: 'test with a missing checkpoint',
    setup: (d) => [
      'test',
      json(d, toy(d, { test_dataloader: { dataset: { type: 'ToyDataset' }, batch_size: 2 }, test_cfg: {}, test_evaluator: { type: 'Accuracy' } })),
      path.join(d, 'gone.safetensors'),
    ],
    says: /gone\.safetensors: cannot open the checkpoint/,
  },
  {
    name: 'test with a config that has no test set',
    setup: (d) => ['test', json(d, toy(d)), goodCheckpoint],
    says: /runner\.test\(\) needs test_dataloader, test_cfg and test_evaluator/,
  },
  { name: 'print-config of a broken file', setup: (d) => ['print-config', json(d, '{')], says: /cannot parse the config/ },
];

describe('bad input through the CLI: one clear message, no stack trace', () => {
  const server = http.createServer((req, res) => {
    if (req.url === '/model.safetensors') res.end(fs.readFileSync(goodCheckpoint));
    else res.writeHead(404).end();
  });
  type Result = { code: number | null; stderr: string; stdout: string };
  /** One promise per case, made up front; the pool settles them as it goes. */
  const results = new Map<string, { promise: Promise<Result>; resolve: (r: Result) => void }>();
  for (const c of CASES) {
    let resolve!: (r: Result) => void;
    const promise = new Promise<Result>((r) => {
      resolve = r;
    });
    results.set(c.name, { promise, resolve });
  }

  beforeAll(async () => {
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    // one real checkpoint of the toy model for the broken-checkpoint cases
    const d = tempDir();
    const made = await runCli(train(d, withHooks(d, { checkpoint: { type: 'CheckpointHook', interval: 1 } })), { cwd: TESTS_DIR });
    expect(made.code, made.stderr).toBe(0);
    goodCheckpoint = path.join(d, 'work', 'epoch_1.safetensors');
    // a small pool, not awaited here: each case is its own process, each test waits for its own
    const queue = [...CASES];
    for (let w = 0; w < POOL; w++) {
      void (async () => {
        for (let c = queue.shift(); c; c = queue.shift()) {
          const dir = tempDir('trainkit-bad-');
          const slot = results.get(c.name)!;
          try {
            const args = await c.setup(dir);
            slot.resolve(await runCli(args, { cwd: TESTS_DIR, env: { TRAINKIT_CACHE_DIR: path.join(dir, 'cache'), ...c.env } }));
          } catch (e) {
            slot.resolve({ code: null, stdout: '', stderr: `the case could not be set up: ${(e as Error).message}` });
          }
        }
      })();
    }
  }, 120_000);

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
    for (const dir of mounted.reverse()) {
      try {
        execFileSync('umount', [dir], { stdio: 'ignore' });
      } catch {}
    }
  });

  it(`has at least 68 cases (${CASES.length} here${canMount ? '' : '; the read-only and full-disk mounts were skipped: mounting a tmpfs needs root'})`, () => {
    expect(CASES.length).toBeGreaterThanOrEqual(canMount ? 68 : 65);
  });

  for (const c of CASES) {
    it(c.name, { timeout: 600_000 }, async () => {
      const r = await results.get(c.name)!.promise;
      const out = `${r.stderr}\n${r.stdout}`;
      expect(r.code, out).not.toBe(0);
      expect(r.code, out).not.toBeNull();
      for (const says of Array.isArray(c.says) ? c.says : [c.says]) expect(r.stderr, out).toMatch(says);
      expect(r.stderr, 'a stack trace was printed').not.toMatch(/\n\s+at .+(:\d+:\d+\)?|native)/);
      expect(r.stderr).not.toContain('unexpected error');
      // one message: the error is printed once
      expect(r.stderr.match(/trainkit: error:/g)?.length ?? 0, out).toBe(1);
    });
  }
});
