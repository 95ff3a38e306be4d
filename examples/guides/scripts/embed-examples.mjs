// Copies each example into the guides that embed it, between
// `<!-- embed: examples/guides/src/x.ts -->` and the end of the ```ts block after it.
// Run after editing an example: node examples/guides/scripts/embed-examples.mjs
// (test/guides-in-sync.test.ts fails when a guide and its example differ).
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(import.meta.dirname, '../../..');
const docs = path.join(root, 'docs');
const marker = /<!-- embed: (\S+) -->\n(?:\n?```ts\n[\s\S]*?\n```\n)?/g;

for (const name of fs.readdirSync(docs).filter((f) => f.endsWith('.md'))) {
  const file = path.join(docs, name);
  const text = fs.readFileSync(file, 'utf8');
  const next = text.replace(marker, (_, rel) => {
    const code = fs.readFileSync(path.join(root, rel), 'utf8').trimEnd();
    return `<!-- embed: ${rel} -->\n\n\`\`\`ts\n${code}\n\`\`\`\n`;
  });
  if (next !== text) {
    fs.writeFileSync(file, next);
    console.log(`updated docs/${name}`);
  }
}
