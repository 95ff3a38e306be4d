import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

export const REPO = path.resolve(import.meta.dirname, '../../..');
export const FIXTURES = path.resolve(import.meta.dirname, '../fixtures');

/** npm's cache and pnpm's store, shared between runs so that third-party tarballs download once. */
const SHARED = path.join(os.tmpdir(), 'trainkit-registry-e2e-cache');

export interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A local Verdaccio on loopback: its storage, its users and its npm config live in `root`. */
export class LocalRegistry {
  readonly root = fs.mkdtempSync(path.join(os.tmpdir(), 'trainkit-verdaccio-'));
  url = '';
  private child: ChildProcess | undefined;
  logFile = '';

  /** Starts Verdaccio with the npm registry npm is configured with as its only uplink. */
  async start(): Promise<void> {
    const upstream = spawnSync('npm', ['config', 'get', 'registry'], { encoding: 'utf8', env: cleanEnv() }).stdout.trim() || 'https://registry.npmjs.org/';
    const cafile = spawnSync('npm', ['config', 'get', 'cafile'], { encoding: 'utf8', env: cleanEnv() }).stdout.trim();
    const port = await freePort();
    this.url = `http://127.0.0.1:${port}/`;
    const config = path.join(this.root, 'config.yaml');
    fs.writeFileSync(
      config,
      [
        `storage: ${JSON.stringify(path.join(this.root, 'storage'))}`,
        'auth:',
        '  htpasswd:',
        `    file: ${JSON.stringify(path.join(this.root, 'htpasswd'))}`,
        '    max_users: 10',
        'uplinks:',
        '  npmjs:',
        `    url: ${JSON.stringify(upstream)}`,
        '    timeout: 120s',
        'packages:',
        // ours are never looked up upstream: what the tests install is what they published
        "  '@trainkit/*':",
        '    access: $all',
        '    publish: $authenticated',
        "  'trainkit-plugin-*':",
        '    access: $all',
        '    publish: $authenticated',
        "  '**':",
        '    access: $all',
        '    publish: $authenticated',
        '    proxy: npmjs',
        'max_body_size: 200mb',
        'web:',
        '  enable: false',
        'log: { type: stdout, format: pretty, level: warn }',
      ].join('\n'),
    );
    const bin = path.join(REPO, 'tests/node_modules/verdaccio/bin/verdaccio');
    const env = { ...cleanEnv(), ...(cafile && cafile !== 'null' && fs.existsSync(cafile) ? { NODE_EXTRA_CA_CERTS: cafile } : {}) };
    // its log goes to a file: the commands below run synchronously, and a pipe nobody reads
    // meanwhile fills up and stalls the registry
    this.logFile = path.join(this.root, 'verdaccio.log');
    const log = fs.openSync(this.logFile, 'w');
    this.child = spawn(process.execPath, [bin, '--config', config, '--listen', `127.0.0.1:${port}`], { env, stdio: ['ignore', log, log] });
    fs.closeSync(log);
    const deadline = Date.now() + 60_000;
    for (;;) {
      try {
        const res = await fetch(`${this.url}-/ping`);
        if (res.ok) break;
      } catch {}
      if (this.child.exitCode !== null || Date.now() > deadline) throw new Error(`verdaccio did not start:\n${fs.readFileSync(this.logFile, 'utf8')}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    const token = await this.addUser('trainkit-e2e', 'e2e-password-1');
    const host = this.url.replace(/^http:/, '');
    fs.writeFileSync(path.join(this.root, '.npmrc'), `registry=${this.url}\n${host}:_authToken=${token}\n`);
  }

  private async addUser(name: string, password: string): Promise<string> {
    const res = await fetch(`${this.url}-/user/org.couchdb.user:${name}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name, password, type: 'user', roles: [], date: new Date().toISOString() }),
    });
    const body = (await res.json()) as { token?: string };
    if (!body.token) throw new Error(`verdaccio refused the user: ${res.status} ${JSON.stringify(body)}`);
    return body.token;
  }

  /** The environment a command talking to this registry runs with. */
  env(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
    return {
      ...cleanEnv(),
      npm_config_userconfig: path.join(this.root, '.npmrc'),
      npm_config_registry: this.url,
      npm_config_cache: path.join(SHARED, 'npm'),
      npm_config_store_dir: path.join(SHARED, 'pnpm-store'),
      npm_config_audit: 'false',
      npm_config_fund: 'false',
      npm_config_update_notifier: 'false',
      npm_config_loglevel: 'error',
      NO_COLOR: '1',
      ...extra,
    };
  }

  /** Runs `cmd args` in `cwd` against this registry; fails with the whole output unless it exits 0. */
  run(cmd: string, args: string[], cwd: string, opts: { env?: NodeJS.ProcessEnv; allowFailure?: boolean } = {}): Result {
    const r = spawnSync(cmd, args, { cwd, env: this.env(opts.env), encoding: 'utf8', timeout: 540_000, maxBuffer: 64 * 1024 * 1024 });
    const result = { code: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
    if (!opts.allowFailure && r.status !== 0) {
      throw new Error(
        `${cmd} ${args.join(' ')} (in ${cwd}) exited ${r.status ?? r.signal}:\n${result.stdout}\n${result.stderr}${r.error ? `\n${r.error}` : ''}`,
      );
    }
    return result;
  }

  /** Stops Verdaccio and removes its folder and the projects made with `freshCopy`. */
  async stop(): Promise<void> {
    const child = this.child;
    if (child && child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    for (const dir of [this.root, ...created.splice(0)]) fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The parent's environment without what vitest and the outer pnpm run put there. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^(npm_|pnpm_|VITEST|NODE_OPTIONS$|TURBO_)/i.test(k)) continue;
    env[k] = v;
  }
  return env;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** A fresh folder outside the workspace with a copy of a fixture. */
const created: string[] = [];

export function freshCopy(fixture: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `trainkit-${fixture}-`));
  created.push(dir);
  fs.cpSync(path.join(FIXTURES, fixture), dir, { recursive: true });
  return dir;
}
