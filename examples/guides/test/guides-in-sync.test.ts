import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../../..');
const guides = ['tfjs-quickstart.md', 'your-own-dataset.md', 'your-own-model.md', 'your-own-metric.md', 'your-own-loop.md'];
const examples = fs.readdirSync(path.join(root, 'examples/guides/src')).filter((f) => f.endsWith('.ts'));

/** The code blocks the guides embed, by the example file they name. */
function embedded(): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const g of guides) {
    const text = fs.readFileSync(path.join(root, 'docs', g), 'utf8');
    for (const m of text.matchAll(/<!-- embed: (\S+) -->\n\n```ts\n([\s\S]*?)\n```\n/g)) out.set(m[1], [...(out.get(m[1]) ?? []), m[2]]);
  }
  return out;
}

describe('the guides show the code the tests run', () => {
  it('every example is embedded in a guide, verbatim', () => {
    const blocks = embedded();
    for (const f of examples) {
      const rel = `examples/guides/src/${f}`;
      expect(blocks.get(rel), `${rel} is embedded in no guide`).toBeDefined();
      const code = fs.readFileSync(path.join(root, rel), 'utf8').trimEnd();
      for (const b of blocks.get(rel)!) expect(b, `a guide's copy of ${rel} differs; run node examples/guides/scripts/embed-examples.mjs`).toBe(code);
    }
  });

  it('every example has a test that runs it', () => {
    for (const f of examples) expect(fs.existsSync(path.join(root, 'examples/guides/test', f.replace(/\.ts$/, '.test.ts'))), f).toBe(true);
  });

  it('relative links in the guides point at files that exist', () => {
    for (const g of guides) {
      const text = fs.readFileSync(path.join(root, 'docs', g), 'utf8');
      for (const m of text.matchAll(/\]\((?!https?:)([^)#]+)(#[^)]*)?\)/g)) expect(fs.existsSync(path.join(root, 'docs', m[1])), `${g}: ${m[1]}`).toBe(true);
    }
  });
});
