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
