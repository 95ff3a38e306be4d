import { type ChildProcess, spawn } from 'node:child_process';
import { randomInt } from 'node:crypto';
import * as readline from 'node:readline';
import { ConfigError } from '@trainkit/core';

/** `--nproc-per-node`, `--nnodes`, `--node-rank`, `--master-addr`, `--master-port`, as torchrun has them. */
export interface LaunchOptions {
  nprocPerNode: number;
  nnodes: number;
  nodeRank: number;
  masterAddr: string;
  masterPort: number;
}

export const LAUNCH_FLAGS = ['nproc-per-node', 'nnodes', 'node-rank', 'master-addr', 'master-port'];

/** The launch flags, or undefined when the command runs in this process (one process, or a worker). */
export function launchOptions(flags: Map<string, string | true>): LaunchOptions | undefined {
  if (!LAUNCH_FLAGS.some((f) => flags.has(f))) return undefined;
  const int = (name: string, dflt: number, min: number) => {
    const v = flags.get(name);
    if (v === undefined) return dflt;
    const n = Number(v);
    if (typeof v !== 'string' || !Number.isInteger(n) || n < min) throw new ConfigError(`--${name} must be an integer >= ${min}`, { found: v });
    return n;
  };
  const o: LaunchOptions = {
    nprocPerNode: int('nproc-per-node', 1, 1),
    nnodes: int('nnodes', 1, 1),
    nodeRank: int('node-rank', 0, 0),
    masterAddr: typeof flags.get('master-addr') === 'string' ? (flags.get('master-addr') as string) : '127.0.0.1',
    masterPort: int('master-port', 29500, 1),
  };
  if (o.masterPort > 65535) throw new ConfigError('--master-port must be a TCP port (1..65535)', { found: o.masterPort });
  if (o.nodeRank >= o.nnodes) throw new ConfigError(`--node-rank ${o.nodeRank} must be below --nnodes ${o.nnodes}`);
  if (o.nnodes > 1 && !flags.has('master-addr')) {
    throw new ConfigError('--nnodes > 1 needs --master-addr: the address of node 0 that every node can reach', { fix: 'add --master-addr <ip of node 0>' });
  }
  return o;
}

/** The argv a worker gets: the launcher's, less the launch flags. */
export function workerArgv(argv: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const t = argv[i];
    const name = t.startsWith('--') ? t.slice(2).split('=')[0] : '';
    if (LAUNCH_FLAGS.includes(name)) {
      if (!t.includes('=')) i++;
      continue;
    }
    out.push(t);
  }
  return out;
}

interface Worker {
  rank: number;
  localRank: number;
  child: ChildProcess;
  exit?: { code: number | null; signal: NodeJS.Signals | null };
}

/**
 * Starts this node's workers with torchrun's environment, relays their output (other ranks'
 * lines prefixed with their rank), forwards Ctrl-C / SIGTERM to each of them once per signal,
 * and waits. Returns the exit code: 0 when all succeed; the signal's code after a stop; 1 when
 * a worker failed, after naming the rank that failed first. Workers get their own process group
 * so a terminal's Ctrl-C reaches them through the launcher only, once.
 */
export async function launchWorkers(command: string, argv: string[], o: LaunchOptions): Promise<number> {
  const worldSize = o.nnodes * o.nprocPerNode;
  const env = {
    ...process.env,
    WORLD_SIZE: String(worldSize),
    LOCAL_WORLD_SIZE: String(o.nprocPerNode),
    MASTER_ADDR: o.masterAddr,
    MASTER_PORT: String(o.masterPort),
    GROUP_RANK: String(o.nodeRank),
    TRAINKIT_LAUNCHER: 'pytorch',
    // one host: the seed every rank shares when the config sets none (several hosts derive it from the master address)
    ...(o.nnodes === 1 && !process.env.TRAINKIT_SEED ? { TRAINKIT_SEED: String(randomInt(2 ** 31)) } : {}),
  };
  const bin = process.argv[1];
  const workers: Worker[] = [];
  for (let local = 0; local < o.nprocPerNode; local++) {
    const rank = o.nodeRank * o.nprocPerNode + local;
    const child = spawn(process.execPath, [...process.execArgv, bin, command, ...workerArgv(argv)], {
      env: { ...env, RANK: String(rank), LOCAL_RANK: String(local) },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    relay(child, rank);
    workers.push({ rank, localRank: local, child });
  }
  process.stderr.write(
    `trainkit: started ${o.nprocPerNode} worker(s) on node ${o.nodeRank} of ${o.nnodes} (world size ${worldSize}, rendezvous ${o.masterAddr}:${o.masterPort})\n`,
  );

  let stoppedBy: NodeJS.Signals | undefined;
  const forward = (signal: NodeJS.Signals) => {
    stoppedBy ??= signal;
    for (const w of workers) if (!w.exit) w.child.kill(signal);
  };
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);

  let firstFailure: Worker | undefined;
  let killTimer: NodeJS.Timeout | undefined;
  const graceMs = Number(process.env.TRAINKIT_LAUNCHER_GRACE_S ?? 60) * 1000;
  try {
    await Promise.all(
      workers.map(
        (w) =>
          new Promise<void>((resolve) => {
            w.child.on('close', (code, signal) => {
              w.exit = { code, signal };
              const failed = code !== 0 && !(stoppedBy && (code === 130 || code === 143 || signal === stoppedBy));
              if (failed && !firstFailure) {
                firstFailure = w;
                process.stderr.write(
                  `trainkit: worker rank ${w.rank} (local rank ${w.localRank}, pid ${w.child.pid}) ${describeExit(w.exit)}; waiting for the others\n`,
                );
                // the others fail on their own at their next collective; stragglers are stopped
                killTimer = setTimeout(() => {
                  for (const x of workers) if (!x.exit) x.child.kill('SIGTERM');
                  setTimeout(() => {
                    for (const x of workers) if (!x.exit) x.child.kill('SIGKILL');
                  }, 10_000).unref();
                }, graceMs);
                killTimer.unref();
              }
              resolve();
            });
          }),
      ),
    );
  } finally {
    process.off('SIGINT', forward);
    process.off('SIGTERM', forward);
    if (killTimer) clearTimeout(killTimer);
  }
  if (firstFailure) {
    const others = workers.filter((w) => w !== firstFailure && w.exit && w.exit.code !== 0).map((w) => w.rank);
    process.stderr.write(
      `trainkit: error: distributed run failed: rank ${firstFailure.rank} ${describeExit(firstFailure.exit!)} first${others.length ? `; rank(s) ${others.join(', ')} stopped after it` : ''}\n`,
    );
    return 1;
  }
  if (stoppedBy) return stoppedBy === 'SIGINT' ? 130 : 143;
  return 0;
}

function describeExit(e: { code: number | null; signal: NodeJS.Signals | null }): string {
  return e.signal ? `was killed by ${e.signal}` : `exited with code ${e.code}`;
}

/** Rank 0's output as it is; other ranks' lines (errors only, their loggers print no more) marked. */
function relay(child: ChildProcess, rank: number): void {
  for (const [stream, sink] of [
    [child.stdout, process.stdout],
    [child.stderr, process.stderr],
  ] as const) {
    if (!stream) continue;
    if (rank === 0) {
      stream.pipe(sink, { end: false });
      continue;
    }
    readline.createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY }).on('line', (line) => sink.write(`[rank ${rank}] ${line}\n`));
  }
}
