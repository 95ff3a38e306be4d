import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const CONFIGS = path.join(import.meta.dirname, '../fixtures/configs');

/** A short toy run (MMEngine's seed setup) written as a JSON config in the fixtures folder. */
export function writeToyConfig(name: string, extra: Record<string, unknown>): string {
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'trainkit-e2e-'));
  const file = path.join(CONFIGS, `${name}.generated.json`);
  fs.writeFileSync(
    file,
    JSON.stringify({
      work_dir: workDir,
      model: { type: 'ToyModel' },
      train_dataloader: { dataset: { type: 'ToyDataset' }, batch_size: 2 },
      train_cfg: { by_epoch: true, max_epochs: 1 },
      optim_wrapper: { optimizer: { type: 'SGD', lr: 0.1 } },
      env_cfg: { backend: 'cpu' },
      log_level: 'WARNING',
      ...extra,
    }),
  );
  return file;
}
