import * as fs from 'node:fs';
import * as path from 'node:path';
import { flushOnExit, stopFlushOnExit } from './exit-flush.js';
import { eventFileName } from './file-name.js';
import { encodeEvent } from './proto/event.js';
import type { Event } from './proto/types.js';
import { RECORD_HEADER_BYTES, RECORD_OVERHEAD_BYTES, frameInPlace, frameRecord } from './record.js';

export interface EventFileWriterOptions {
  /** Seconds between automatic flushes (default 10; 0 turns the timer off). */
  flushSecs?: number;
  /**
   * Most bytes held in memory waiting for the disk (default 8 MiB). Past it the writer writes
   * synchronously until it is under again, so memory stays bounded even when the disk is slower
   * than the logging; a training step pays for the disk only in that case.
   */
  maxQueueBytes?: number;
  /** Size of the buffers records are encoded into (default 256 KiB). */
  bufferBytes?: number;
  /** Appended to the file name (TensorFlow's writer uses `.v2`). */
  filenameSuffix?: string;
  /** Written in the first record as `source_metadata.writer` (left out by default, as TF's C++ writer does). */
  sourceWriter?: string;
  /** Flush on process exit, SIGINT and SIGTERM (default true). */
  flushOnExit?: boolean;
}

export interface EventFileWriterStats {
  /** Records appended so far, the version record included. */
  records: number;
  /** Bytes appended so far (the file size once everything is flushed). */
  bytes: number;
  /** Bytes waiting in memory for the disk right now. */
  queuedBytes: number;
  /** The most bytes ever waiting at once. */
  maxQueuedBytes: number;
  /** Times the queue limit forced a synchronous write. */
  syncWrites: number;
}

/** A sealed buffer with the file offset it goes to, so any write path can put it in place. */
interface Chunk {
  buf: Uint8Array;
  pos: number;
  done: boolean;
  /** The whole buffer `buf` is a view of, when it can be reused once written. */
  slab: Uint8Array | undefined;
}

/** Written buffers kept for reuse, so steady logging allocates nothing and leaves no garbage. */
const SPARE_BUFFERS = 4;

const FILE_VERSION = 'brain.Event:2';
const MAX_BATCH_CHUNKS = 256;

/**
 * One event file: TFRecord framing, a write queue, background writes.
 *
 * Records are encoded into an in-memory buffer (the only work done in the caller's time); full
 * buffers, the flush timer, `flush()` and `close()` hand them to asynchronous positional writes,
 * one batch at a time and in file order. Every buffer knows its file offset, so the synchronous
 * paths (queue over its limit, process exit) can write it again without coordination: writing
 * the same bytes at the same offset twice is harmless, and the file never has a gap a reader
 * could see.
 */
export class EventFileWriter {
  readonly path: string;
  private fd: number | undefined;
  private readonly bufferBytes: number;
  private readonly maxQueueBytes: number;
  private slab: Uint8Array;
  private slabView: DataView;
  private used = 0;
  /** File offset of `slab[0]`. */
  private slabPos = 0;
  private pending: Chunk[] = [];
  private readonly spare: Uint8Array[] = [];
  private inFlight: Chunk[] | undefined;
  private idleWaiters: Array<() => void> = [];
  private timer: NodeJS.Timeout | undefined;
  private failure: Error | undefined;
  private closing: Promise<void> | undefined;
  readonly stats: EventFileWriterStats = { records: 0, bytes: 0, queuedBytes: 0, maxQueuedBytes: 0, syncWrites: 0 };

  constructor(logdir: string, opts: EventFileWriterOptions = {}) {
    this.bufferBytes = Math.max(4096, opts.bufferBytes ?? 256 * 1024);
    this.maxQueueBytes = Math.max(this.bufferBytes, opts.maxQueueBytes ?? 8 * 1024 * 1024);
    fs.mkdirSync(logdir, { recursive: true });
    let file: string;
    for (;;) {
      file = path.join(logdir, eventFileName(opts.filenameSuffix ?? ''));
      try {
        this.fd = fs.openSync(file, 'wx');
        break;
      } catch (e) {
        // same second, pid and counter: only another copy of this module; take the next number
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
    }
    this.path = file;
    this.slab = new Uint8Array(this.bufferBytes);
    this.slabView = new DataView(this.slab.buffer);
    // the version record goes to disk at once, so the file is valid from its first byte on
    const version: Event = { wallTime: Date.now() / 1000, step: 0, fileVersion: FILE_VERSION };
    if (opts.sourceWriter) version.sourceMetadata = { writer: opts.sourceWriter };
    const record = frameRecord(encodeEvent(version));
    writeFully(this.fd, record, 0);
    this.slabPos = record.length;
    this.stats.records = 1;
    this.stats.bytes = record.length;
    const flushSecs = opts.flushSecs ?? 10;
    if (flushSecs > 0) {
      this.timer = setInterval(() => this.startWrites(true), flushSecs * 1000);
      // a pending flush must not keep the process alive; exit and close() write the rest
      this.timer.unref();
    }
    if (opts.flushOnExit !== false) flushOnExit(this);
  }

  /** Whether `close()` was called. */
  get closed(): boolean {
    return this.closing !== undefined;
  }

  /**
   * Reserves room for one record of `dataLen` event bytes and returns the offset in `buffer` where
   * they go; call `commitRecord(dataLen)` once they are written. Encoders use this to write
   * straight into the output buffer.
   */
  reserveRecord(dataLen: number): number {
    if (this.closing) throw new Error(`event file ${this.path} is closed`);
    const need = dataLen + RECORD_OVERHEAD_BYTES;
    if (this.used + need > this.slab.length) {
      this.seal();
      if (need > this.slab.length) {
        // a record bigger than a buffer (a large image) gets a buffer of its own
        if (this.spare.length < SPARE_BUFFERS && this.slab.length === this.bufferBytes) this.spare.push(this.slab);
        this.slab = new Uint8Array(need);
        this.slabView = new DataView(this.slab.buffer);
      }
    }
    return this.used + RECORD_HEADER_BYTES;
  }

  /** The buffer `reserveRecord` offsets point into (valid until the next reserve). */
  get buffer(): Uint8Array {
    return this.slab;
  }

  get bufferView(): DataView {
    return this.slabView;
  }

  /** Frames the record placed after `reserveRecord(dataLen)`. */
  commitRecord(dataLen: number): void {
    frameInPlace(this.slab, this.slabView, this.used, dataLen);
    const size = dataLen + RECORD_OVERHEAD_BYTES;
    this.used += size;
    this.stats.records++;
    this.stats.bytes += size;
    this.noteQueued(size);
    if (this.used === this.slab.length) this.seal();
    if (this.stats.queuedBytes > this.maxQueueBytes) this.writeQueuedSync();
    else if (this.pending.length && !this.inFlight) this.startWrites(false);
  }

  /** Appends one serialized Event. */
  writeSerializedEvent(data: Uint8Array): void {
    const at = this.reserveRecord(data.length);
    this.slab.set(data, at);
    this.commitRecord(data.length);
  }

  /** Appends one Event. */
  writeEvent(event: Event): void {
    this.writeSerializedEvent(encodeEvent(event));
  }

  /** Writes everything appended so far; resolves once it is in the file. */
  flush(): Promise<void> {
    this.startWrites(true);
    if (this.failure) return Promise.reject(this.failure);
    if (!this.inFlight && this.pending.length === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => this.idleWaiters.push(() => (this.failure ? reject(this.failure) : resolve())));
  }

  /** Writes everything appended so far before returning (used on exit; blocks the thread). */
  flushSync(): void {
    if (this.fd === undefined) return;
    this.seal();
    this.writeQueuedSync();
  }

  /** Flushes, then closes the file. Later appends throw. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      if (this.timer) clearInterval(this.timer);
      try {
        await this.flush();
      } finally {
        stopFlushOnExit(this);
        const fd = this.fd;
        this.fd = undefined;
        if (fd !== undefined) await new Promise<void>((resolve) => fs.close(fd, () => resolve()));
      }
    })();
    return this.closing;
  }

  private noteQueued(bytes: number): void {
    this.stats.queuedBytes += bytes;
    if (this.stats.queuedBytes > this.stats.maxQueuedBytes) this.stats.maxQueuedBytes = this.stats.queuedBytes;
  }

  /** Moves the filled part of the current buffer to the write queue. */
  private seal(): void {
    if (this.used === 0) return;
    let chunk: Chunk;
    if (this.used < this.slab.length / 4 && this.slab.length === this.bufferBytes) {
      // a timer flush of a mostly empty buffer: copy out the little there is, keep the buffer
      chunk = { buf: this.slab.slice(0, this.used), pos: this.slabPos, done: false, slab: undefined };
    } else {
      chunk = { buf: this.slab.subarray(0, this.used), pos: this.slabPos, done: false, slab: this.slab };
      this.slab = this.spare.pop() ?? new Uint8Array(this.bufferBytes);
      this.slabView = new DataView(this.slab.buffer);
    }
    this.pending.push(chunk);
    this.slabPos += this.used;
    this.used = 0;
  }

  /** Starts a background write of the queue unless one is running. */
  private startWrites(sealFirst: boolean): void {
    if (sealFirst) this.seal();
    if (this.failure || this.fd === undefined) {
      // nowhere to write: drop the queue so memory stays bounded; flush()/close() report why
      for (const c of this.pending) {
        this.markDone(c);
        this.release(c);
      }
      this.pending = [];
    }
    if (this.inFlight) return;
    if (this.pending.length === 0 || this.fd === undefined) {
      this.settle();
      return;
    }
    // writev takes at most IOV_MAX buffers per call on some systems; stay well under it
    const batch = this.pending.splice(0, MAX_BATCH_CHUNKS);
    this.inFlight = batch;
    this.writeBatch(this.fd, batch, 0);
  }

  /** Writes `batch` from byte `skip` on; loops over short writes. */
  private writeBatch(fd: number, batch: Chunk[], skip: number): void {
    const bufs: Uint8Array[] = [];
    let offset = skip;
    for (const c of batch) {
      if (offset >= c.buf.length) {
        offset -= c.buf.length;
        continue;
      }
      bufs.push(offset ? c.buf.subarray(offset) : c.buf);
      offset = 0;
    }
    const total = bufs.reduce((n, b) => n + b.length, 0);
    fs.writev(fd, bufs, batch[0].pos + skip, (err, written) => {
      if (!err && written > 0 && written < total) return this.writeBatch(fd, batch, skip + written);
      if (!err && written === 0 && total > 0) err = new Error('the disk accepted no bytes');
      // a batch the synchronous path already wrote has nothing left to lose
      if (err && !batch.every((c) => c.done)) this.fail(err);
      for (const c of batch) {
        this.markDone(c);
        this.release(c);
      }
      this.inFlight = undefined;
      this.startWrites(false);
    });
  }

  private markDone(c: Chunk): void {
    if (c.done) return;
    c.done = true;
    this.stats.queuedBytes -= c.buf.length;
  }

  /** Offers a written chunk's buffer for reuse; only once no write can still be reading it. */
  private release(c: Chunk): void {
    const slab = c.slab;
    c.slab = undefined;
    if (slab && slab.length === this.bufferBytes && this.spare.length < SPARE_BUFFERS) this.spare.push(slab);
  }

  /**
   * Writes the batch in flight (again) and the whole queue synchronously, in file order. The
   * background write still running writes the same bytes to the same place.
   */
  private writeQueuedSync(): void {
    const fd = this.fd;
    if (fd === undefined) return;
    this.seal();
    const inFlight = (this.inFlight ?? []).filter((c) => !c.done);
    const queued = this.pending;
    if (inFlight.length + queued.length === 0) return;
    this.stats.syncWrites++;
    this.pending = [];
    for (const c of [...inFlight, ...queued]) {
      if (!this.failure) {
        try {
          writeFully(fd, c.buf, c.pos);
        } catch (e) {
          this.fail(e as Error);
        }
      }
      this.markDone(c);
    }
    // buffers of the batch in flight are released by its callback, once the thread pool is done
    for (const c of queued) this.release(c);
    if (!this.inFlight) this.settle();
  }

  private fail(err: Error): void {
    this.failure ??= new Error(`writing ${this.path} failed: ${err.message}`, { cause: err });
  }

  /** Wakes `flush()` callers once nothing is queued or in flight. */
  private settle(): void {
    if (this.inFlight || this.pending.length) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }
}

function writeFully(fd: number, buf: Uint8Array, pos: number): void {
  for (let off = 0; off < buf.length; ) off += fs.writeSync(fd, buf, off, buf.length - off, pos + off);
}
