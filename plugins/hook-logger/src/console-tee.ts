import * as fs from 'node:fs';
import type { ConsoleWriter, Logger, Visualizer } from '@trainkit/core';
import type { ProgressDisplay } from './progress.js';

// SGR colour codes the logger puts around the level on a terminal; backends keep plain text
// biome-ignore lint/suspicious/noControlCharactersInRegex: terminal escape sequences start with ESC
const SGR = /\x1b\[[0-9;]*m/g;

function wantsLogLines(visualizer: Visualizer): boolean {
  for (const backend of visualizer.backends.values()) if (typeof backend.addLogLine === 'function') return true;
  return false;
}

/**
 * Routes the run's console output through the progress display (so the bar steps aside for each
 * line) and hands every printed line to the visualizer's backends that keep terminal output
 * (W&B's output log). Lines logged before the hook started are read back from the text log once.
 * Returns the function that restores the previous console writer.
 */
export function teeConsole(logger: Logger, visualizer: Visualizer, progress: ProgressDisplay | undefined, replayFrom?: string): () => void {
  const forward = wantsLogLines(visualizer);
  if (!forward && !progress) return () => {};
  if (forward && replayFrom) {
    try {
      for (const line of fs.readFileSync(replayFrom, 'utf8').split('\n')) if (line) visualizer.addLogLine(line);
    } catch {
      // no text log yet: nothing to replay
    }
  }
  let previous: ConsoleWriter = () => {};
  const writer: ConsoleWriter = (line, level) => {
    if (progress) progress.writeAbove(() => previous(line, level));
    else previous(line, level);
    if (forward) for (const part of line.replace(SGR, '').split('\n')) visualizer.addLogLine(part);
  };
  previous = logger.setConsole(writer);
  let restored = false;
  return () => {
    if (restored) return;
    restored = true;
    logger.setConsole(previous);
  };
}
