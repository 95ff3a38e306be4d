import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { expect, it } from 'vitest';
import { REPO, runCli } from '../support/cli.js';

// Users keep configs in CommonJS projects and in folders with no package.json at all; tsx alone
// fails there on Node 20.19+ (ERR_REQUIRE_CYCLE_MODULE), so trainkit loads them as ES modules.
it('loads a .ts config from a CommonJS package, with its extensionless imports', async () => {
  const r = await runCli(['print-config', path.join(REPO, 'tests/fixtures/cjs-project/config.ts')]);
  expect(r.stderr).toBe('');
  expect(JSON.parse(r.stdout).optim_wrapper.optimizer).toEqual({ type: 'SGD', lr: 0.0042 });
});

it('loads a .ts config from a folder without package.json', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trainkit-bare-'));
  fs.writeFileSync(path.join(dir, 'config.ts'), 'const epochs: number = 3;\nexport default { train_cfg: { max_epochs: epochs } };\n');
  const r = await runCli(['print-config', path.join(dir, 'config.ts')]);
  expect(r.stderr).toBe('');
  expect(JSON.parse(r.stdout).train_cfg).toEqual({ max_epochs: 3 });
  fs.rmSync(dir, { recursive: true, force: true });
});
