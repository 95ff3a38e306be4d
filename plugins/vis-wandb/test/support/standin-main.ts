import { WandbStandin } from './wandb-standin.js';

// Entry of the stand-in's own process: prints its port, serves until its parent goes away.
const standin = new WandbStandin();
const port = await standin.listen();
process.stdout.write(`READY ${port}\n`);
process.stdin.resume();
process.stdin.on('end', () => {
  standin.close();
  process.exit(0);
});
