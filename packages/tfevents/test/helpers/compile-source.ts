import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import ts from 'typescript';

/** Transpiles every .ts file under `srcDir` to .js under `outDir`. */
function transpileTree(srcDir: string, outDir: string): void {
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
}

/**
 * Compiles the package sources to plain JS in `outDir`, so that a child process (plain `node`)
 * can load them: exit and signal behaviour can only be seen from outside the process. The
 * native CRC module does not resolve from there, which exercises the JS fallback too.
 */
export function compileSource(outDir: string): string {
  transpileTree(path.resolve(import.meta.dirname, '../../src'), outDir);
  fs.writeFileSync(path.join(outDir, 'package.json'), '{"type":"module"}');
  // the workspace dependency @trainkit/codecs, from its sources too, where node looks for it
  const codecsDir = path.dirname(createRequire(import.meta.url).resolve('@trainkit/codecs/package.json'));
  const codecsOut = path.join(outDir, 'node_modules', '@trainkit', 'codecs');
  transpileTree(path.join(codecsDir, 'src'), codecsOut);
  fs.writeFileSync(path.join(codecsOut, 'package.json'), '{"type":"module","exports":"./index.js"}');
  return path.join(outDir, 'index.js');
}
