// Writes data/rings.csv: 240 points, class 0 near the origin, class 1 on a ring of radius 2.
// Run: node scripts/make-rings.mjs (deterministic; the file is committed)
import * as fs from 'node:fs';

let s = 12345;
const rand = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
const rows = ['x,y,label'];
for (let i = 0; i < 240; i++) {
  const label = i % 2;
  const angle = rand() * 2 * Math.PI;
  const radius = label === 0 ? rand() * 1.0 : 1.6 + rand() * 0.8;
  rows.push(`${(radius * Math.cos(angle)).toFixed(4)},${(radius * Math.sin(angle)).toFixed(4)},${label}`);
}
fs.writeFileSync(new URL('../data/rings.csv', import.meta.url), `${rows.join('\n')}\n`);
