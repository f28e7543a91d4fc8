/**
 * The layers read top-down: listeners → flows → outlets and the scheduler → the ports, the
 * presentation (messages, render, slack) and the store → the domain. No import runs back up, and
 * the flows see the store and the chat only through src/ports.ts.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../../src', import.meta.url));

/** Higher may import lower or equal; the composition roots (main.ts, cli/) may import anything. */
const RANK: [prefix: string, rank: number][] = [
  ['domain/', 0],
  ['ports.ts', 1],
  ['messages/', 2],
  ['render/', 2],
  ['slack/', 2],
  ['store/', 2],
  ['outlets/', 3],
  ['scheduler/', 3],
  ['flows/', 4],
  ['listeners/', 5],
  // The sandbox runs the whole bot against its Slack emulator: a composition root of its own.
  ['sandbox/', 6],
];

const rankOf = (file: string) => RANK.find(([prefix]) => file.startsWith(prefix))?.[1];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sourceFiles(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
  );
}

/** Every `from '…'` of a file: relative ones as paths under src/, packages by name. */
function importsOf(path: string): { local: string[]; packages: string[] } {
  const specifiers = [...readFileSync(path, 'utf8').matchAll(/from '([^']+)'/g)].map((match) => match[1]!);
  return {
    local: specifiers.filter((spec) => spec.startsWith('.')).map((spec) => relative(SRC, join(dirname(path), spec)).replace(/\.js$/, '.ts')),
    packages: specifiers.filter((spec) => !spec.startsWith('.')),
  };
}

const files = sourceFiles(SRC).map((path) => ({ path, file: relative(SRC, path) }));

describe('the layers of src/', () => {
  it('import nothing from a layer above them', () => {
    const upward = files.flatMap(({ path, file }) => {
      const rank = rankOf(file);
      if (rank === undefined) return [];
      return importsOf(path).local.flatMap((target) => {
        const targetRank = rankOf(target);
        return targetRank !== undefined && targetRank > rank ? [`${file} imports ${target}`] : [];
      });
    });
    expect(upward).toEqual([]);
  });

  it('keep the flows, outlets and scheduler off SQLite and off the Slack packages: they see src/ports.ts', () => {
    const concrete = files
      .filter(({ file }) => /^(flows|outlets|scheduler)\//.test(file))
      .flatMap(({ path, file }) => {
        const { local, packages } = importsOf(path);
        return [
          ...packages.filter((name) => /^(drizzle-orm|better-sqlite3|@slack\/)/.test(name)).map((name) => `${file} imports ${name}`),
          ...local.filter((target) => target.startsWith('store/sqlite/') || target === 'slack/gateway.ts').map((target) => `${file} imports ${target}`),
        ];
      });
    expect(concrete).toEqual([]);
  });

  it('has every folder of src/ in a layer', () => {
    const unplaced = files.map(({ file }) => file).filter((file) => file.includes('/') && rankOf(file) === undefined && !file.startsWith('cli/'));
    expect(unplaced).toEqual([]);
  });
});
