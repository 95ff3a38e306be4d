/** @trainkit/cli: the `trainkit` command. `main(argv)` runs it and returns the exit code. */
export { main } from './main.js';
