/**
 * Ctrl-C / SIGTERM handling for a run: the first signal asks the loops to stop after the current
 * iteration (hooks then get afterTrain / afterRun and can save and flush); a second one exits at
 * once (logs are written synchronously, so nothing already logged is lost).
 */
export function installStopHandlers(onStop: (signal: NodeJS.Signals) => void, log: (msg: string) => void): () => void {
  let count = 0;
  const handler = (signal: NodeJS.Signals) => {
    count++;
    if (count === 1) {
      log(`Received ${signal}: stopping after the current iteration (send it again to exit at once)`);
      onStop(signal);
      return;
    }
    log(`Received ${signal} again: exiting now`);
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return () => {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  };
}
