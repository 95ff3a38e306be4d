import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { netrcPassword } from '../src/settings/netrc.js';
import { resolveSettings } from '../src/settings/resolve-settings.js';
import { tempDir } from './support/env.js';

const isolated = () => {
  const dir = tempDir();
  return { NETRC: path.join(dir, 'none'), WANDB_CONFIG_DIR: dir, HOME: dir };
};

describe('settings as the W&B SDK reads them', () => {
  it('init_kwargs win over the environment; the environment over defaults', () => {
    const env = {
      ...isolated(),
      WANDB_MODE: 'dryrun',
      WANDB_PROJECT: 'envp',
      WANDB_ENTITY: 'enve',
      WANDB_RUN_ID: 'envid',
      WANDB_TAGS: 'a, b',
      WANDB_RUN_GROUP: 'g',
      WANDB_NAME: 'n',
    };
    const fromEnv = resolveSettings({ save_dir: '/tmp/x' }, env);
    expect(fromEnv).toMatchObject({
      mode: 'offline',
      project: 'envp',
      entity: 'enve',
      runId: 'envid',
      tags: ['a', 'b'],
      group: 'g',
      displayName: 'n',
      wandbDir: '/tmp/x/wandb',
    });
    const fromKwargs = resolveSettings({ save_dir: '/tmp/x', init_kwargs: { mode: 'disabled', project: 'kp', id: 'kid', dir: '/tmp/y' } }, env);
    expect(fromKwargs).toMatchObject({ mode: 'disabled', project: 'kp', runId: 'kid', wandbDir: '/tmp/y/wandb' });
    expect(resolveSettings({}, { ...isolated(), WANDB_MODE: 'run' }).mode).toBe('online');
    expect(resolveSettings({}, { ...isolated(), WANDB_DISABLED: 'true' }).mode).toBe('disabled');
    expect(() => resolveSettings({}, { ...isolated(), WANDB_MODE: 'sometimes' })).toThrow(/unknown W&B mode/);
  });

  it('WANDB_DIR is the parent of wandb/ (or of an existing .wandb/), over save_dir', () => {
    const parent = tempDir();
    expect(resolveSettings({ save_dir: '/tmp/s' }, { ...isolated(), WANDB_DIR: parent }).wandbDir).toBe(path.join(parent, 'wandb'));
    fs.mkdirSync(path.join(parent, '.wandb'));
    expect(resolveSettings({}, { ...isolated(), WANDB_DIR: parent }).wandbDir).toBe(path.join(parent, '.wandb'));
  });

  it('base URL: default, env, `wandb login --host` settings file; plain http refused for wandb.ai', () => {
    const env = isolated();
    expect(resolveSettings({}, env).baseUrl).toBe('https://api.wandb.ai');
    expect(resolveSettings({}, { ...env, WANDB_BASE_URL: 'https://w.example.com/' }).baseUrl).toBe('https://w.example.com');
    fs.writeFileSync(path.join(env.WANDB_CONFIG_DIR, 'settings'), '[default]\nbase_url = https://saved.example.com\n');
    expect(resolveSettings({}, env).baseUrl).toBe('https://saved.example.com');
    expect(() => resolveSettings({}, { ...env, WANDB_BASE_URL: 'http://api.wandb.ai' })).toThrow(/only reachable over https/);
  });

  it('run ids: random 8 characters of [a-z0-9], a given one checked', () => {
    const ids = new Set(Array.from({ length: 50 }, () => resolveSettings({}, isolated()).runId));
    expect(ids.size).toBe(50);
    for (const id of ids) expect(id).toMatch(/^[a-z0-9]{8}$/);
    expect(() => resolveSettings({ init_kwargs: { id: 'a/b' } }, isolated())).toThrow(/run id may hold only/);
  });

  it('resume modes and retry settings from WANDB_X_* variables', () => {
    expect(resolveSettings({ init_kwargs: { resume: true } }, isolated()).resume).toBe('auto');
    expect(resolveSettings({}, { ...isolated(), WANDB_RESUME: 'must' }).resume).toBe('must');
    const s = resolveSettings(
      { init_kwargs: { settings: { x_graphql_retry_max: 3 } } },
      { ...isolated(), WANDB_X_FILE_STREAM_RETRY_WAIT_MIN_SECONDS: '0.5', WANDB_HTTP_TIMEOUT: '7' },
    );
    expect(s.net.graphql.maxRetries).toBe(3);
    expect(s.net.graphql.timeoutMs).toBe(7000);
    expect(s.net.fileStream.minWaitMs).toBe(500);
    expect(s.net.transmitIntervalMs).toBe(15000);
  });

  it('netrc: the entry of the host, else `default`', () => {
    const file = path.join(tempDir(), 'netrc');
    fs.writeFileSync(file, '# comment\nmachine a.example.com login api password KEY_A\ndefault login api password KEY_D\n');
    expect(netrcPassword(file, 'a.example.com')).toBe('KEY_A');
    expect(netrcPassword(file, 'other.example.com')).toBe('KEY_D');
    expect(netrcPassword(path.join(tempDir(), 'missing'), 'a.example.com')).toBeUndefined();
  });
});
