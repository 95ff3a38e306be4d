import * as dgram from 'node:dgram';
import type { ConnectOptions, ProcessGroup } from '@trainkit/core/dist';
import { CollectiveError, GlooProcessGroup } from './gloo-group.js';
import { loadBinding } from './native.js';
import { StoreServer } from './store-server.js';

/** The address this host reaches `masterAddr` from: what the other ranks must connect to. */
export async function localAddressToward(masterAddr: string, masterPort: number): Promise<string> {
  if (process.env.TRAINKIT_GLOO_HOSTNAME) return process.env.TRAINKIT_GLOO_HOSTNAME;
  if (masterAddr === 'localhost' || masterAddr.startsWith('127.')) return '127.0.0.1';
  const sock = dgram.createSocket(masterAddr.includes(':') ? 'udp6' : 'udp4');
  try {
    // a UDP "connect" sends nothing; it only asks the kernel for the route's source address
    await new Promise<void>((resolve, reject) => {
      sock.once('error', reject);
      sock.connect(masterPort, masterAddr, () => resolve());
    });
    return sock.address().address;
  } finally {
    sock.close();
  }
}

function storeFor(opts: ConnectOptions): { type: 'tcp' | 'file' | 'redis'; host?: string; port?: number; path?: string } {
  const m = opts.initMethod;
  if (m.startsWith('file://')) return { type: 'file', path: m.slice('file://'.length) };
  if (m.startsWith('redis://')) {
    const [host, port] = m.slice('redis://'.length).replace(/\/$/, '').split(':');
    return { type: 'redis', host, port: Number(port ?? 6379) };
  }
  return { type: 'tcp', host: opts.masterAddr, port: opts.masterPort };
}

/**
 * Joins the Gloo process group: rank 0 hosts the rendezvous store for `env://`, every rank
 * sets up Gloo's TCP device on the address that routes to the master, meets the others through
 * the store, and waits at a barrier (after which rank 0's store can close).
 */
export async function connectGloo(opts: ConnectOptions): Promise<ProcessGroup> {
  const binding = loadBinding();
  const store = storeFor(opts);
  const server =
    store.type === 'tcp' && opts.rank === 0
      ? await StoreServer.listen(opts.masterAddr === 'localhost' ? '127.0.0.1' : opts.masterAddr, opts.masterPort).catch((e: Error) => {
          throw new CollectiveError(
            `rank 0 cannot host the rendezvous store at ${opts.masterAddr}:${opts.masterPort}: ${e.message}\n  fix: choose a free port with --master-port (MASTER_PORT), and an address of this host for --master-addr`,
          );
        })
      : undefined;
  try {
    const native = new binding.ProcessGroup();
    const hostname = await localAddressToward(opts.masterAddr, opts.masterPort);
    const prefix = process.env.TRAINKIT_RUN_ID ?? process.env.TORCHELASTIC_RUN_ID ?? `trainkit/${opts.masterAddr}:${opts.masterPort}`;
    try {
      await native.connect({ rank: opts.rank, size: opts.worldSize, timeoutMs: opts.timeoutMs, prefix, hostname, store });
    } catch (e) {
      throw new CollectiveError(
        `rank ${opts.rank} of ${opts.worldSize}: rendezvous through ${opts.initMethod === 'env://' ? `tcp://${opts.masterAddr}:${opts.masterPort}` : opts.initMethod} failed: ${(e as Error).message}\n  every rank must start within env_cfg.dist_cfg.timeout (${opts.timeoutMs / 1000} s) and reach the master address`,
      );
    }
    const group = new GlooProcessGroup(native, opts.rank, opts.worldSize, opts.timeoutMs);
    await group.learnPeers();
    return group;
  } finally {
    await server?.close();
  }
}
