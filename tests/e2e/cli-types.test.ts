import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../support/cli.js';

function install(project: string, name: string, pkg: Record<string, unknown>): void {
  const dir = path.join(project, 'node_modules', ...name.split('/'));
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name, version: '1.0.0', ...pkg }));
}

describe('trainkit types', () => {
  it('writes one type-only import for every installed plugin that ships declarations', async () => {
    const project = tempDir();
    install(project, '@acme/trainkit-metrics', { types: './dist/index.d.ts', trainkit: { provides: { METRICS: ['AcmeMetric'] } } });
    install(project, 'trainkit-plugin-alarm', {
      exports: { '.': { types: './dist/index.d.ts', import: './dist/index.js' } },
      trainkit: { provides: { HOOKS: ['AlarmHook'] } },
    });
    install(project, 'trainkit-plugin-js-only', { main: 'index.js', trainkit: { provides: { HOOKS: ['JsHook'] } } });
    install(project, 'left-pad', { types: './index.d.ts' });
    const r = await runCli(['types'], { cwd: project });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('wrote trainkit-env.d.ts: config types of @acme/trainkit-metrics, trainkit-plugin-alarm');
    const lines = fs.readFileSync(path.join(project, 'trainkit-env.d.ts'), 'utf8').split('\n');
    expect(lines.filter((l) => l.startsWith('import'))).toEqual([
      "import type {} from '@trainkit/core';",
      "import type {} from '@acme/trainkit-metrics';",
      "import type {} from 'trainkit-plugin-alarm';",
    ]);
  });
});
