import * as readline from 'node:readline';
import { getLogger } from '@trainkit/core';
import { WandbVisBackend } from '../../src/index.js';

/**
 * A training process for the kill tests: logs rows, lets the parent act between two batches
 * (through stdin/stdout), then waits to be killed (`kill`) or exits without closing (`exit`).
 */
const [saveDir, ending] = process.argv.slice(2);
getLogger().level = 'ERROR';
const lines = readline.createInterface({ input: process.stdin });
const next = () => new Promise<string>((resolve) => lines.once('line', resolve));
const tick = () => new Promise((r) => setTimeout(r, 5));

const backend = new WandbVisBackend({ save_dir: saveDir, init_kwargs: { project: 'killed', name: 'killed run' } });
await backend.start();
for (let i = 0; i < 30; i++) backend.addScalars({ loss: 1 / (i + 1), i });
await backend.flush();
process.stdout.write(`FIRST ${backend.paths?.dir}\n`);
await next();
for (let i = 30; i < 70; i++) {
  backend.addScalars({ loss: 1 / (i + 1), i });
  if (i % 10 === 0) await tick();
}
backend.addLogLine('logged before the end');
backend.addImage('img', { data: new Uint8Array(12).fill(9), width: 2, height: 2, channels: 3 }, 70);
if (ending === 'exit') process.exit(5);
process.stdout.write('LOGGED\n');
setInterval(() => {}, 1000);
