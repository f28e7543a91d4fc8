import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The folder holding the bot's package.json, found by walking up from this module: the same from
 * src/ (tsx, tests) and from the bundle in dist/, whose chunks sit at other depths than the sources
 * they were built from.
 */
function findPackageRoot(): string {
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`No package.json above ${fileURLToPath(import.meta.url)}`);
  }
}

export const PACKAGE_ROOT = findPackageRoot();

/** A path inside the bot's package (templates/, migrations/, manifest.yml…), whichever file asks. */
export const packagePath = (...parts: string[]): string => join(PACKAGE_ROOT, ...parts);
