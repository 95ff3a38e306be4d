/**
 * Writes what open writers still hold when the process ends: on `exit` (normal end,
 * `process.exit`, uncaught error) and on SIGINT / SIGTERM.
 *
 * Listening to a signal in Node replaces its default action (terminate). So the signal handler
 * only flushes, and when it finds itself the only listener it steps aside and re-sends the signal,
 * which then terminates the process as if nobody had listened. When an application has its own
 * handler (trainkit's runner stops after the current iteration on the first Ctrl-C), that handler
 * decides what happens and our flush has simply run first.
 */

interface SyncFlushable {
  flushSync(): void;
}

const open = new Set<SyncFlushable>();
const SIGNALS = ['SIGINT', 'SIGTERM'] as const;
let installed = false;

function flushAll(): void {
  for (const w of open) {
    try {
      w.flushSync();
    } catch {
      // the process is ending: one writer's failure must not keep the others from flushing
    }
  }
}

function onSignal(signal: NodeJS.Signals): void {
  flushAll();
  if (process.listenerCount(signal) === 1) {
    uninstall();
    process.kill(process.pid, signal);
  }
}

function install(): void {
  installed = true;
  process.on('exit', flushAll);
  for (const s of SIGNALS) process.on(s, onSignal);
}

function uninstall(): void {
  installed = false;
  process.off('exit', flushAll);
  for (const s of SIGNALS) process.off(s, onSignal);
}

export function flushOnExit(w: SyncFlushable): void {
  open.add(w);
  if (!installed) install();
}

export function stopFlushOnExit(w: SyncFlushable): void {
  open.delete(w);
  if (open.size === 0 && installed) uninstall();
}
