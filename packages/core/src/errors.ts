/**
 * Every error trainkit raises on purpose is a TrainkitError. Messages read like a compiler's:
 * where (config path or file), what was found, and what to do about it.
 */
export class TrainkitError extends Error {
  override name = 'TrainkitError';
}

export interface ConfigErrorDetails {
  /** Dotted path inside the config, e.g. `default_hooks.checkpoint.interval`. */
  path?: string;
  /** The config file the value came from, when known. */
  file?: string;
  /** What was found there. */
  found?: unknown;
  /** What the user should do. */
  fix?: string;
}

/** A config value is wrong: unknown type, unknown option, wrong type, missing file. */
export class ConfigError extends TrainkitError {
  override name = 'ConfigError';
  readonly path: string | undefined;
  readonly file: string | undefined;
  readonly fix: string | undefined;

  constructor(problem: string, details: ConfigErrorDetails = {}) {
    super(formatConfigMessage(problem, details));
    this.path = details.path;
    this.file = details.file;
    this.fix = details.fix;
  }
}

/** Building or looking up a registered type failed. */
export class RegistryError extends ConfigError {
  override name = 'RegistryError';
}

/** A checkpoint file cannot be read or written. */
export class CheckpointError extends TrainkitError {
  override name = 'CheckpointError';
}

/** A vis backend could not start (refused credentials, unreachable server, unwritable folder). */
export class VisBackendStartError extends TrainkitError {
  override name = 'VisBackendStartError';
  constructor(
    readonly backend: string,
    cause: unknown,
  ) {
    super(`visualizer.vis_backends: ${backend} could not start: ${(cause as Error)?.message ?? String(cause)}`, { cause });
  }
}

/** The run was stopped by a signal (SIGINT/SIGTERM) after hooks were given the chance to flush. */
export class RunInterruptedError extends TrainkitError {
  override name = 'RunInterruptedError';
  constructor(readonly signal: NodeJS.Signals) {
    super(`training interrupted by ${signal}`);
  }
}

function formatConfigMessage(problem: string, d: ConfigErrorDetails): string {
  const where = [d.file, d.path].filter(Boolean).join(': ');
  const lines = [where ? `${where}: ${problem}` : problem];
  if (d.found !== undefined) lines.push(`  found: ${describeValue(d.found)}`);
  if (d.fix) lines.push(`  fix: ${d.fix}`);
  return lines.join('\n');
}

/** A short, single-line rendering of a config value for error messages. */
export function describeValue(value: unknown): string {
  if (typeof value === 'function') return `[function ${value.name || 'anonymous'}]`;
  if (typeof value === 'string') return JSON.stringify(value);
  try {
    const text = JSON.stringify(value);
    if (text === undefined) return String(value);
    return text.length > 120 ? `${text.slice(0, 117)}...` : text;
  } catch {
    return String(value);
  }
}

/** The file system refused a read or write (full disk, permissions, read-only mount, ...). */
export class FileSystemError extends TrainkitError {
  override name = 'FileSystemError';
  constructor(
    message: string,
    readonly code: string | undefined,
    readonly file: string | undefined,
  ) {
    super(message);
  }
}

const FS_REASONS: Record<string, [string, string]> = {
  ENOSPC: ['the disk is full', 'free some space, or set work_dir (and out_dir) to another disk'],
  EDQUOT: ['the disk quota is exhausted', 'free some space, or set work_dir to another disk'],
  EACCES: ['permission denied', 'make it writable for this user, or set work_dir to a folder you can write to'],
  EPERM: ['permission denied', 'make it writable for this user, or set work_dir to a folder you can write to'],
  EROFS: ['the file system is read-only', 'set work_dir to a folder on a writable disk'],
  ENOTDIR: ['a file is in the way where a folder is needed', 'remove or rename that file, or choose another folder'],
  EEXIST: ['a file is in the way where a folder is needed', 'remove or rename that file, or choose another folder'],
  EISDIR: ['it is a folder where a file is needed', 'name a file, not a folder'],
  ENOENT: ['no such file or folder', 'check the path'],
  EMFILE: ['too many open files', 'raise the limit (ulimit -n) or close other programs'],
};

/**
 * A Node.js system error (ENOSPC, EACCES, EROFS, ...) as a FileSystemError that names the path
 * and the fix; anything else is returned unchanged. `doing` says what was being done: "cannot
 * write the log file".
 */
export function fileSystemError(e: unknown, doing?: string, file?: string): unknown {
  if (e instanceof TrainkitError) return e;
  const err = e as NodeJS.ErrnoException | undefined;
  const code = err?.code;
  if (typeof code !== 'string' || !(code in FS_REASONS)) return e;
  const where = file ?? err?.path ?? (err as { dest?: string } | undefined)?.dest;
  const [why, fix] = FS_REASONS[code];
  const out = new FileSystemError(`${doing ?? 'file system error'}${where ? ` ${where}` : ''}: ${why} (${code})\n  fix: ${fix}`, code, where);
  out.cause = e;
  return out;
}
