import * as fs from 'node:fs';
import * as path from 'node:path';
import { ConfigError, fileSystemError } from '../errors.js';

/** Python's logging levels, which MMEngine's `log_level` takes. */
export const LOG_LEVELS = { DEBUG: 10, INFO: 20, WARNING: 30, ERROR: 40, CRITICAL: 50 } as const;
export type LogLevel = keyof typeof LOG_LEVELS;

/** Where console lines go; a progress display may wrap it so bars and lines do not fight. */
export type ConsoleWriter = (line: string, level: LogLevel) => void;

const pad2 = (n: number) => String(n).padStart(2, '0');

function stamp(d: Date, withYear: boolean): string {
  const date = `${pad2(d.getMonth() + 1)}/${pad2(d.getDate())}`;
  const time = `${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}`;
  return withYear ? `${d.getFullYear()}/${date} ${time}` : `${date} ${time}`;
}

const COLOURS: Partial<Record<LogLevel, string>> = { WARNING: '\x1b[33m', ERROR: '\x1b[31m', CRITICAL: '\x1b[1;31m', DEBUG: '\x1b[2m' };

const defaultConsole: ConsoleWriter = (line) => {
  process.stdout.write(`${line}\n`);
};

/**
 * The one logger of a run, shared by core and plugins (`runner.logger`, or `getLogger()` from
 * code that has no runner). Lines go to the console and, once a file is attached, to the text
 * log with synchronous appends, so nothing is lost when the process is interrupted.
 */
export class Logger {
  level: LogLevel;
  private fd: number | undefined;
  private filePath: string | undefined;
  /** Lines logged before the file is attached (see `holdFileLines`). */
  private held: string[] | undefined;
  private writeConsole: ConsoleWriter = defaultConsole;
  private readonly colour = Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;

  constructor(
    readonly name = 'trainkit',
    level: LogLevel = 'INFO',
  ) {
    this.level = checkLevel(level);
  }

  /**
   * Keeps the lines logged from now until `attachFile`, which writes them first: a runner logs
   * while it is built and opens its file only when the run starts.
   */
  holdFileLines(): void {
    this.held ??= [];
  }

  /** Appends every following line to `file` (created with its folder), after any held ones. */
  attachFile(file: string): void {
    const held = this.held;
    this.closeFile();
    try {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      this.fd = fs.openSync(file, 'a');
      if (held?.length) fs.writeSync(this.fd, held.join(''));
    } catch (e) {
      throw fileSystemError(e, 'cannot create the log file', file);
    }
    this.filePath = file;
  }

  get file(): string | undefined {
    return this.filePath;
  }

  closeFile(): void {
    this.held = undefined;
    const fd = this.fd;
    this.fd = undefined;
    if (fd !== undefined) fs.closeSync(fd);
  }

  /** Replaces the console writer; returns the previous one. */
  setConsole(writer: ConsoleWriter): ConsoleWriter {
    const prev = this.writeConsole;
    this.writeConsole = writer;
    return prev;
  }

  isEnabledFor(level: LogLevel): boolean {
    return LOG_LEVELS[level] >= LOG_LEVELS[this.level];
  }

  log(level: LogLevel, message: string): void {
    if (!this.isEnabledFor(level)) return;
    this.write(level, message, true);
  }

  /**
   * Reference blocks a person rarely reads while training starts (the resolved config, the hook
   * plan, the full environment): written to the text log at INFO, shown on the console only
   * when the level is DEBUG.
   */
  detail(message: string): void {
    if (!this.isEnabledFor('INFO')) return;
    this.write('INFO', message, this.level === 'DEBUG');
  }

  private write(level: LogLevel, message: string, toConsole: boolean): void {
    const now = new Date();
    // a message that starts on the next line (the environment block) leaves no trailing space
    const sep = message.startsWith('\n') ? ' -' : ' - ';
    if (toConsole) {
      const shownLevel = this.colour && COLOURS[level] ? `${COLOURS[level]}${level}\x1b[0m` : level;
      this.writeConsole(`${stamp(now, false)} - ${this.name} - ${shownLevel}${sep}${message}`, level);
    }
    this.writeFile(level, message, now);
  }

  /** Writes a line to the log file only (a stack trace the terminal should not show). */
  toFile(level: LogLevel, message: string): void {
    this.writeFile(level, message, new Date());
  }

  /**
   * A log line that cannot be written (full disk, file system gone read-only) must not become the
   * error: the file is given up with one console line naming it and the cause, and the run goes on
   * (or goes on failing with its own error).
   */
  private writeFile(level: LogLevel, message: string, now: Date): void {
    if (this.fd === undefined && !this.held) return;
    const sep = message.startsWith('\n') ? ' -' : ' - ';
    const line = `${stamp(now, true)} - ${this.name} - ${level}${sep}${message}\n`;
    if (this.fd === undefined) {
      this.held!.push(line);
      return;
    }
    try {
      fs.writeSync(this.fd, line);
    } catch (e) {
      const fd = this.fd;
      this.fd = undefined;
      try {
        fs.closeSync(fd);
      } catch {}
      const why = (fileSystemError(e, 'cannot write the log file', this.filePath) as Error).message;
      this.writeConsole(`${stamp(now, false)} - ${this.name} - WARNING - ${why}\n  (logging to the terminal only from now on)`, 'WARNING');
    }
  }

  debug(message: string): void {
    this.log('DEBUG', message);
  }
  info(message: string): void {
    this.log('INFO', message);
  }
  warn(message: string): void {
    this.log('WARNING', message);
  }
  error(message: string): void {
    this.log('ERROR', message);
  }
  critical(message: string): void {
    this.log('CRITICAL', message);
  }
}

export function checkLevel(level: string, configPath = 'log_level'): LogLevel {
  // Python's logging aliases: WARN is WARNING, FATAL is CRITICAL
  const aliases: Record<string, LogLevel> = { WARN: 'WARNING', FATAL: 'CRITICAL' };
  const upper = aliases[String(level).toUpperCase()] ?? String(level).toUpperCase();
  if (!(upper in LOG_LEVELS)) {
    throw new ConfigError('unknown log level', { path: configPath, found: level, fix: `use one of ${Object.keys(LOG_LEVELS).join(', ')}` });
  }
  return upper as LogLevel;
}

let current = new Logger();

/** The logger of the current run (a console-only default before any runner exists). */
export function getLogger(): Logger {
  return current;
}

/** Makes `logger` the one `getLogger()` returns; the function returned puts the previous one back. */
export function setCurrentLogger(logger: Logger): () => void {
  const prev = current;
  current = logger;
  return () => {
    // a runner that was replaced meanwhile by another keeps the other one current
    if (current === logger) current = prev;
  };
}
