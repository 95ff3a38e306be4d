import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { EXAMPLE, REPO } from './cli.js';

/** A free TCP port on loopback for a run's rendezvous. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/**
 * The Fashion-MNIST MLP without dropout, SGD, on the cpu backend (exact sums), with `iters`
 * iterations of global batch `globalBatch` split over `workers` processes, validation at the end
 * of each epoch, and every rank's losses recorded. Written as JSON into `dir`.
 */
export function distMlpConfig(dir: string, o: { workers: number; globalBatch: number; iters: number; epochs?: number; timeout?: number }): string {
  const epochs = o.epochs ?? 1;
  const file = path.join(dir, `mlp_${o.workers}w.json`);
  const dataRoot = path.join(EXAMPLE, 'data');
  fs.writeFileSync(
    file,
    JSON.stringify({
      custom_imports: {
        imports: [path.join(EXAMPLE, 'src/index.ts'), path.join(REPO, 'tests/fixtures/configs/rank-loss-recorder.ts'), '@trainkit/dist-gloo'],
      },
      work_dir: path.join(dir, 'work'),
      data_preprocessor: { scale: 1 / 255, mean: [0.286], std: [0.353] },
      model: {
        type: 'LayersClassifier',
        layers: [
          { type: 'flatten', input_shape: [28, 28, 1] },
          { type: 'dense', units: 64, activation: 'relu' },
          { type: 'dense', units: 32, activation: 'relu' },
        ],
        num_classes: 10,
      },
      train_dataloader: {
        batch_size: o.globalBatch / o.workers,
        sampler: { type: 'DefaultSampler', shuffle: true },
        dataset: { type: 'FashionMNIST', data_root: dataRoot, split: 'train', max_samples: o.iters * o.globalBatch },
      },
      val_dataloader: {
        batch_size: 50,
        sampler: { type: 'DefaultSampler', shuffle: false },
        dataset: { type: 'FashionMNIST', data_root: dataRoot, split: 'test', max_samples: 301 },
      },
      test_dataloader: {
        batch_size: 50,
        sampler: { type: 'DefaultSampler', shuffle: false },
        dataset: { type: 'FashionMNIST', data_root: dataRoot, split: 'test', max_samples: 301 },
      },
      val_evaluator: { type: 'Accuracy', topk: [1, 5] },
      test_evaluator: { type: 'Accuracy', topk: [1, 5] },
      train_cfg: { by_epoch: true, max_epochs: epochs, val_interval: 1 },
      val_cfg: {},
      test_cfg: {},
      optim_wrapper: { optimizer: { type: 'SGD', lr: 0.05, momentum: 0.9 } },
      default_hooks: {
        logger: { type: 'LoggerHook', interval: 10 },
        checkpoint: { type: 'CheckpointHook', interval: 1 },
        sampler_seed: { type: 'DistSamplerSeedHook' },
      },
      custom_hooks: [{ type: 'RankLossRecorderHook' }],
      env_cfg: { backend: 'cpu', dist_cfg: { backend: 'gloo', timeout: o.timeout ?? 60 } },
      randomness: { seed: 7 },
      log_level: 'INFO',
    }),
  );
  return file;
}

/** Every rank's recorded losses by iteration: `loss-rank<R>.jsonl` in the work dir. */
export function rankLosses(workDir: string, workers: number): number[][] {
  return Array.from({ length: workers }, (_, r) =>
    fs
      .readFileSync(path.join(workDir, `loss-rank${r}.jsonl`), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l).loss as number),
  );
}
