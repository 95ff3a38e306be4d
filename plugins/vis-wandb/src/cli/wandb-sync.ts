import { apiKeyProblem } from '../settings/api-key.js';
import { resolveSettings } from '../settings/resolve-settings.js';
import { HttpClient } from '../net/http-client.js';
import { checkLogin } from '../net/login.js';
import { readCursor } from '../stream/cursor.js';
import { runPathsFor } from '../run/run-dir.js';
import { findRunLogs } from '../sync/find-run-logs.js';
import { syncRun } from '../sync/sync-run.js';

export const USAGE = `Usage: trainkit wandb-sync [options] <path>...

Uploads W&B runs that trainkit logged offline (mode "offline" / WANDB_MODE=offline), or whatever an
online run could not send (server down, process killed), and finishes them on the server.

<path> is a run log (run-<id>.wandb), a W&B run folder (offline-run-*/run-*), or any folder
holding them (a wandb/ folder, a trainkit work_dir); runs already complete are skipped.

Options:
  --entity <name>      entity for runs not yet created on the server (default: the run's, else yours)
  --project <name>     project for runs not yet created on the server (default: the run's)
  --include-synced     send runs again that are already complete
  --timeout <seconds>  give up on a failing server after this long per run (default 600)
  --base-url <url>     the W&B server (default: WANDB_BASE_URL, else the server the run logged to)
  -h, --help           show this text

Environment: WANDB_API_KEY (or the key \`wandb login\` stored in ~/.netrc), WANDB_BASE_URL.
Exit code: 0 when every run is on the server, 1 when some could not be sent (or the server cannot
be reached), 2 for usage errors. Every failure is explained on stderr.
`;

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

const stdio: CliIo = {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
};

/**
 * `trainkit wandb-sync`: returns the exit code. Every failure ends in a message and a non-zero
 * code: the network waits use unref'd timers, so without the keep-alive a server that never
 * answers would let Node exit mid-await (code 13, no output).
 */
export async function run(argv: string[], io: CliIo = stdio): Promise<number> {
  const keepAlive = setInterval(() => {}, 1 << 30);
  try {
    return await syncCommand(argv, io);
  } catch (e) {
    io.err(`wandb-sync: ${(e as Error)?.message ?? String(e)}\n`);
    return 1;
  } finally {
    clearInterval(keepAlive);
  }
}

async function syncCommand(argv: string[], io: CliIo): Promise<number> {
  const paths: string[] = [];
  let baseUrl: string | undefined;
  let entity: string | undefined;
  let project: string | undefined;
  let includeSynced = false;
  let timeoutS = 600;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`${a} needs a value`);
      return v;
    };
    try {
      if (a === '-h' || a === '--help') {
        io.out(USAGE);
        return 0;
      } else if (a === '--entity') entity = value();
      else if (a === '--project') project = value();
      else if (a === '--include-synced') includeSynced = true;
      else if (a === '--base-url') baseUrl = value();
      else if (a === '--timeout') {
        timeoutS = Number(value());
        if (!(timeoutS > 0)) throw new UsageError('--timeout needs a positive number of seconds');
      } else if (a.startsWith('-')) throw new UsageError(`unknown option ${a}`);
      else paths.push(a);
    } catch (e) {
      if (!(e instanceof UsageError)) throw e;
      io.err(`wandb-sync: ${e.message}\n\n${USAGE}`);
      return 2;
    }
  }
  if (!paths.length) {
    io.err(`wandb-sync: name at least one run folder or .wandb file\n\n${USAGE}`);
    return 2;
  }

  const logs: string[] = [];
  for (const p of paths) {
    try {
      const found = findRunLogs(p);
      if (!found.length) io.err(`wandb-sync: no W&B run log (run-<id>.wandb) under ${p}\n`);
      logs.push(...found);
    } catch (e) {
      io.err(`wandb-sync: ${p}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or folder' : (e as Error).message}\n`);
      return 2;
    }
  }
  if (!logs.length) return 1;

  // the server: --base-url, else WANDB_BASE_URL, else the one the run itself logged to
  baseUrl ??= process.env.WANDB_BASE_URL ? undefined : logs.map((l) => readCursor(runPathsFor(l).cursorFile)?.baseUrl).find(Boolean);
  let settings: ReturnType<typeof resolveSettings>;
  try {
    settings = resolveSettings({ init_kwargs: { mode: 'online', ...(baseUrl && { settings: { base_url: baseUrl } }) } });
  } catch (e) {
    io.err(`wandb-sync: ${(e as Error).message}\n`);
    return 2;
  }
  const key = settings.apiKey;
  if (!key || apiKeyProblem(key)) {
    io.err(
      key
        ? `wandb-sync: the API key from ${settings.apiKeySource} is malformed: ${apiKeyProblem(key)}\n`
        : `wandb-sync: no W&B API key: set WANDB_API_KEY or run \`wandb login\` (looked in ~/.netrc for ${new URL(settings.baseUrl).hostname})\n`,
    );
    return 1;
  }
  const http = new HttpClient();
  try {
    // a server that cannot be reached is reported after a few tries, not after the run-upload patience
    await checkLogin(http, settings.baseUrl, key, {
      ...settings.net,
      graphql: { ...settings.net.graphql, maxRetries: Math.min(3, settings.net.graphql.maxRetries) },
    });
  } catch (e) {
    const message = (e as Error)?.message ?? String(e);
    const unreachable = /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ECONNRESET|timed? ?out|fetch failed|socket|network/i.test(message);
    io.err(
      unreachable
        ? `wandb-sync: cannot reach the W&B server ${settings.baseUrl}: ${message}\n  fix: check the network and the server, or pass --base-url (or set WANDB_BASE_URL) to the server the run used; nothing was sent\n`
        : `wandb-sync: ${settings.baseUrl} refused the API key from ${settings.apiKeySource}: ${message}\n`,
    );
    return 1;
  } finally {
    await http.close();
  }

  let failed = 0;
  const log = { warn: (m: string) => io.err(`${m}\n`), info: (m: string) => io.out(`${m}\n`) };
  for (const file of logs) {
    let result: Awaited<ReturnType<typeof syncRun>>;
    try {
      result = await syncRun(file, {
        baseUrl: settings.baseUrl,
        apiKey: key,
        net: settings.net,
        entity,
        project,
        includeSynced,
        timeoutMs: timeoutS * 1000,
        log,
      });
    } catch (e) {
      failed++;
      io.err(`failed ${file}: ${(e as Error)?.message ?? String(e)}\n`);
      continue;
    }
    const r = result.report;
    if (result.status === 'synced' && r) {
      const sent = `${r.historyRows} history rows, ${r.outputLines} console lines, exit code ${r.exitCode}`;
      io.out(`synced ${file}: ${sent} -> ${r.url}\n`);
    } else if (result.status === 'skipped') {
      io.out(`skipped ${file}: ${result.reason}\n`);
    } else {
      failed++;
      const left = r ? ` (${r.historyLeft} history rows, ${r.outputLeft} console lines, ${r.filesLeft.length} files not sent)` : '';
      io.err(`failed ${file}: ${result.reason}${left}\n`);
    }
  }
  return failed ? 1 : 0;
}

class UsageError extends Error {}
