// npm run bench (issue #11): install what is missing, build, bundle bench/main.ts with
// esbuild (Node 20 cannot import .ts) and run it. Arguments go to the bench:
//   --quick          small counts (the smoke test's mode)
//   --only 1,3,6     only these rows (1 warm fill, 2 cold, 3 scale, 4 unlock, 5 typing, 6 memory, 7 guard)
//   --out FILE       where to write the results (default bench/results.json)
//   --no-build       use the dist/ already built
//   --breakdown      add to row 1 where a warm fill's time goes
// See docs/PERFORMANCE.md for what each row measures.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureNodeModules, ensureOpenBao, ensureSystem } from './ensure-system.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
ensureSystem();
ensureOpenBao();
ensureNodeModules(root);

const args = process.argv.slice(2);
const noBuild = args.includes('--no-build');
if (noBuild) {
  if (!existsSync(path.join(root, 'dist/blindfill.cjs')) || !existsSync(path.join(root, 'dist/chromium/manifest.json'))) {
    process.stderr.write('bench: --no-build, but dist/ is not built: run npm run build\n');
    process.exit(1);
  }
} else {
  const b = spawnSync(process.execPath, [path.join(root, 'scripts/build.mjs')], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  if (b.status !== 0) {
    process.stderr.write('bench: the build failed\n');
    process.exit(1);
  }
}

// Inside the checkout (.tmp/ is gitignored) so that the bundle resolves node_modules.
mkdirSync(path.join(root, '.tmp'), { recursive: true });
const dir = mkdtempSync(path.join(root, '.tmp', 'bench-'));
const cleanup = () => rmSync(dir, { recursive: true, force: true });
let code = 1;
try {
  // A private copy of dist/: a rebuild in the checkout during the run (another terminal,
  // a test run) must not swap the extension or the CLI under the benchmark.
  const dist = path.join(dir, 'dist');
  cpSync(path.join(root, 'dist'), dist, { recursive: true });
  const { build } = await import('esbuild');
  const outfile = path.join(dir, 'bench.mjs');
  await build({
    entryPoints: [path.join(root, 'bench/main.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: 'inline',
    logLevel: 'warning',
  });
  const child = spawn(process.execPath, ['--enable-source-maps', outfile, ...args.filter((a) => a !== '--no-build')], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, BLINDFILL_ROOT: root, BLINDFILL_BENCH_DIST: dist },
  });
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
  code = await new Promise((resolve) => child.on('close', (c, s) => resolve(c ?? (s ? 128 : 1))));
} catch (e) {
  process.stderr.write(`bench: ${e?.message ?? e}\n`);
  code = 1;
} finally {
  cleanup();
}
process.exit(code);
