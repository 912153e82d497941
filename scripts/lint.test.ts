/**
 * The linter's rules hold for the whole tree, and its layer rules bite: a file that
 * crosses a layer (biome.json `overrides`, noRestrictedImports) fails the lint, the same
 * import one layer up passes. Probe files are written into the tree (Biome applies its
 * per-folder rules by path) under unique names and removed afterwards.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');
const biome = path.join(root, 'node_modules/@biomejs/biome/bin/biome');
const made: string[] = [];
afterEach(() => {
  for (const f of made.splice(0)) fs.rmSync(f, { force: true });
});

function lint(...targets: string[]) {
  const r = spawnSync(process.execPath, [biome, 'lint', '--max-diagnostics=50', ...targets], { cwd: root, encoding: 'utf8' });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

function probe(dir: string, importLine: string): string {
  const rel = path.join(dir, `lint-probe-${process.pid}-${made.length}.ts`);
  fs.writeFileSync(path.join(root, rel), `${importLine}\n\nexport const probe = x;\n`);
  made.push(path.join(root, rel));
  return rel;
}

describe('lint', () => {
  it('the whole tree passes the linter', () => {
    const r = lint('.');
    expect(r.out).not.toMatch(/Found \d+ error/);
    expect(r.status).toBe(0);
  }, 60_000);

  const crossings: [string, string][] = [
    ['native-host/ipc', "import { x } from '../daemon/main.js';"],
    ['native-host/vault', "import { x } from '../entry/cli.js';"],
    ['extension/page', "import { x } from '../../native-host/vault/store.js';"],
    ['shared', "import { x } from '../native-host/paths.js';"],
    ['native-host/daemon', "import { x } from '../../e2e/harness/canary.js';"],
  ];
  for (const [dir, line] of crossings) {
    it(`a layer crossing fails: ${dir} → ${line.split("'")[1]}`, () => {
      const r = lint(probe(dir, line));
      expect(r.status).not.toBe(0);
      expect(r.out).toContain('noRestrictedImports');
    }, 30_000);
  }

  it('the same kind of import from a layer above passes', () => {
    const r = lint(probe('native-host/cli', "import { x } from '../ipc/client.js';"));
    expect(r.out).not.toContain('noRestrictedImports');
    expect(r.status).toBe(0);
  }, 30_000);
});
