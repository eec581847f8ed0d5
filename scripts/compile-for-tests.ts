/**
 * Compiles every TypeScript file of the project (src, test, scripts, bench) to JavaScript beside it, file by file and
 * without type-checking, for `npm test` (scripts/test.sh): the tests then run on plain JavaScript instead of going
 * through tsx's loader in every process. Type-checking is `tsc --noEmit`, which scripts/test.sh runs beside the tests.
 *
 * Each file is compiled on its own by esbuild, the compiler tsx itself uses (so the tests run the same JavaScript that
 * `npm start` runs through tsx), and the relative `.ts` module specifiers of its imports and exports are rewritten to
 * `.js`, as `tsc --rewriteRelativeImportExtensions` does. About a second of CPU for the whole project, where `tsc`'s
 * emit took about a minute. The output is git-ignored and scripts/test.sh deletes it when the tests end.
 *
 *   npx tsx scripts/compile-for-tests.ts          # prints how many files were written
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { transformSync } from 'esbuild';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const FOLDERS = ['src', 'test', 'scripts', 'bench'];

function* typescriptFiles(dir: string): Generator<string> {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules') yield* typescriptFiles(full);
    } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) yield full;
  }
}

/**
 * Relative module specifiers ending in `.ts` after `from`, `import(` or a bare `import`, in esbuild's output (which
 * always writes them in double quotes); other strings (a worker's file name built with `new URL`) are left alone.
 */
const RELATIVE_TS_SPECIFIER = /(\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)"(\.{1,2}\/[^"\n]*?)\.ts"/g;

function compileFile(source: string, fileName: string): string {
  const { code } = transformSync(source, {
    loader: 'ts',
    format: 'esm',
    target: 'es2022',
    sourcefile: fileName,
    // As tsconfig.json's ES2022 target implies for tsc.
    tsconfigRaw: { compilerOptions: { useDefineForClassFields: true } },
  });
  return code.replace(RELATIVE_TS_SPECIFIER, '$1"$2.js"');
}

let written = 0;
const failures: string[] = [];
for (const folder of FOLDERS) {
  const dir = path.join(ROOT, folder);
  if (!fs.existsSync(dir)) continue;
  for (const file of typescriptFiles(dir)) {
    try {
      fs.writeFileSync(file.replace(/\.ts$/, '.js'), compileFile(fs.readFileSync(file, 'utf8'), file));
      written++;
    } catch (error) {
      failures.push(`${path.relative(ROOT, file)}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
if (failures.length > 0) {
  console.error(`Could not compile:\n${failures.join('\n')}`);
  process.exit(1);
}
console.log(`Compiled ${written} TypeScript files to JavaScript beside them`);
