import * as fs from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';

/**
 * Compiles the package sources to plain JS in `outDir`, so that a child process (plain `node`)
 * can load them: exit and signal behaviour can only be seen from outside the process. The
 * native CRC module does not resolve from there, which exercises the JS fallback too.
 */
export function compileSource(outDir: string): string {
  const srcDir = path.resolve(import.meta.dirname, '../../src');
  const walk = (dir: string): string[] =>
    fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? walk(path.join(dir, d.name)) : [path.join(dir, d.name)]));
  for (const file of walk(srcDir).filter((f) => f.endsWith('.ts'))) {
    const out = ts.transpileModule(fs.readFileSync(file, 'utf8'), {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true },
    });
    const target = path.join(outDir, path.relative(srcDir, file)).replace(/\.ts$/, '.js');
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, out.outputText);
  }
  fs.writeFileSync(path.join(outDir, 'package.json'), '{"type":"module"}');
  return path.join(outDir, 'index.js');
}
