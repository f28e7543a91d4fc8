// Bundles the bot's entry points into dist/ after `tsc -p tsconfig.build.json --noEmit` has type-checked
// them: Node 20 loads some 330 ES modules one by one at start-up otherwise, which doubled it.
import { rmSync, writeFileSync } from 'node:fs';
import { build } from 'esbuild';

const ENTRY_POINTS = ['src/main.ts', 'src/sandbox/run.ts', 'src/cli/postmortem.ts', 'src/cli/backup.ts', 'src/cli/migrateToPostgres.ts'];

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
  metafile: true,
  logLevel: 'warning',
});
// Which sources went into which file of dist/: tests/e2e/moduleLoading.test.ts reads it to tell what
// a chunk the bot loaded holds, and `npx esbuild --analyze` style tools can read it too.
writeFileSync('dist/meta.json', JSON.stringify(result.metafile));
