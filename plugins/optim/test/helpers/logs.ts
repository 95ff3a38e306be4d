import { getLogger } from '@trainkit/core';

/** Runs `fn` with the current logger's console captured; returns the lines. */
export function captureLogs(fn: () => void): string[] {
  const lines: string[] = [];
  const logger = getLogger();
  const prevLevel = logger.level;
  logger.level = 'DEBUG';
  const prev = logger.setConsole((l) => lines.push(l));
  try {
    fn();
  } finally {
    logger.setConsole(prev);
    logger.level = prevLevel;
  }
  return lines;
}
