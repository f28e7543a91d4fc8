// Bundles the bot's entry points into dist/ after `tsc -p tsconfig.build.json --noEmit` has type-checked
// them: Node 20 loads some 330 ES modules one by one at start-up otherwise, which doubled it.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { build } from 'esbuild';

const ENTRY_POINTS = ['src/main.ts', 'src/sandbox/run.ts', 'src/cli/postmortem.ts', 'src/cli/report.ts', 'src/cli/backup.ts', 'src/cli/migrateToPostgres.ts'];

// Left to Node: better-sqlite3 is a native addon; pg and pino-pretty are loaded only by the store
// or the output that needs them (pg-native, pg's optional native binding, is not installed).
const EXTERNAL = ['better-sqlite3', 'pg', 'pg-native', 'pino-pretty'];

rmSync('dist', { recursive: true, force: true });
const result = await build({
  entryPoints: ENTRY_POINTS,
  outbase: 'src',
  outdir: 'dist',
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // The SQLite and PostgreSQL stores, imported with import() by src/store/open.ts, stay chunks of
  // their own, loaded only by the bot that runs on them.
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  sourcemap: true,
  external: EXTERNAL,
  // The CommonJS packages bundled in (Bolt, pino…) call require() for Node's own modules.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  // Without whitespace and comments: the bundle's source stays in memory for the life of the process,
  // and a single non-Latin-1 character in any comment (a dependency's em dash) makes V8 keep the whole
  // file two bytes a character. Names are kept (no identifier minification), so stack traces still
  // say which function; the source map beside each file maps them back to the sources.
  minifyWhitespace: true,
  metafile: true,
  logLevel: 'warning',
});
// One character past Latin-1 (a regular expression in the sources; esbuild escapes those in strings)
// doubles the memory its whole file takes: write it as \uXXXX instead.
for (const output of Object.keys(result.metafile.outputs).filter((path) => path.endsWith('.js'))) {
  const code = readFileSync(output, 'utf8');
  const at = code.search(/[^\u0000-\u00ff]/u);
  if (at >= 0) throw new Error(`${output}: "${code[at]}" in …${code.slice(Math.max(0, at - 60), at + 20)}…: write it as \\u${code.codePointAt(at).toString(16).padStart(4, '0')} in the source`);
}
// Which sources went into which file of dist/: tests/e2e/moduleLoading.test.ts reads it to tell what
// a chunk the bot loaded holds, and `npx esbuild --analyze` style tools can read it too.
writeFileSync('dist/meta.json', JSON.stringify(result.metafile));
