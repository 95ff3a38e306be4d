import * as net from 'node:net';

/**
 * The rendezvous key-value store rank 0 hosts at MASTER_ADDR:MASTER_PORT (torch's TCPStore
 * for `env://`): Gloo's ranks set their addresses and wait for each other's. A `get` of a key
 * not yet set is answered when it is set. The wire format is in native/tcp_store.h.
 */
export class StoreServer {
  private readonly values = new Map<string, Buffer>();
  private readonly waiting = new Map<string, net.Socket[]>();
  private readonly sockets = new Set<net.Socket>();
  private constructor(private readonly server: net.Server) {}

  static listen(host: string, port: number): Promise<StoreServer> {
    return new Promise((resolve, reject) => {
      const server = net.createServer();
      const store = new StoreServer(server);
      server.on('connection', (s) => store.serve(s));
      server.once('error', reject);
      server.listen({ host, port, exclusive: true }, () => {
        server.off('error', reject);
        resolve(store);
      });
    });
  }

  get port(): number {
    return (this.server.address() as net.AddressInfo).port;
  }

  private serve(socket: net.Socket): void {
    this.sockets.add(socket);
    socket.setNoDelay(true);
    let pending = Buffer.alloc(0);
    socket.on('data', (chunk) => {
      pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
      for (;;) {
        const used = this.handle(socket, pending);
        if (used === 0) break;
        pending = pending.subarray(used);
      }
    });
    socket.on('error', () => {});
    socket.on('close', () => this.sockets.delete(socket));
  }

  /** Handles one whole request at the front of `buf`; returns the bytes used (0: incomplete). */
  private handle(socket: net.Socket, buf: Buffer): number {
    if (buf.length < 5) return 0;
    const op = String.fromCharCode(buf[0]);
    const keyLen = buf.readUInt32LE(1);
    if (buf.length < 5 + keyLen) return 0;
    const key = buf.toString('latin1', 5, 5 + keyLen);
    if (op === 'G') {
      const value = this.values.get(key);
      if (value) reply(socket, value);
      else this.waiting.set(key, [...(this.waiting.get(key) ?? []), socket]);
      return 5 + keyLen;
    }
    if (op !== 'S') {
      socket.destroy();
      return buf.length;
    }
    if (buf.length < 9 + keyLen) return 0;
    const n = buf.readUInt32LE(5 + keyLen);
    if (buf.length < 9 + keyLen + n) return 0;
    const value = Buffer.from(buf.subarray(9 + keyLen, 9 + keyLen + n));
    this.values.set(key, value);
    socket.write('K');
    for (const s of this.waiting.get(key) ?? []) reply(s, value);
    this.waiting.delete(key);
    return 9 + keyLen + n;
  }

  close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

function reply(socket: net.Socket, value: Buffer): void {
  const len = Buffer.alloc(4);
  len.writeUInt32LE(value.length);
  socket.write(Buffer.concat([len, value]));
}
