// npm test: install what is missing, build, run every vitest project (or, with --quick,
// the unit tests and one e2e file per area), and print the
// plain summary line `N passed, N failed` from the JSON report. Exit non-zero on failure.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureNodeModules, ensureOpenBao, ensureSystem } from './ensure-system.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
ensureSystem();
ensureOpenBao();
ensureNodeModules(root);

const run = (args, opts = {}) => spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit', ...opts });
const b = run([path.join(root, 'scripts/build.mjs')]);
if (b.status !== 0) {
  process.stdout.write('0 passed, 1 failed\n');
  process.exit(1);
}

mkdirSync(path.join(root, 'reports'), { recursive: true });
const report = path.join(root, 'reports/vitest.json');
rmSync(report, { force: true });
rmSync(path.join(root, 'reports/socket-monitor.json'), { force: true });
// --quick (npm run test:quick): the unit tests and one end-to-end file per area, chosen
// for covering the area's main path in little time. The full run stays the default.
const QUICK_E2E = [
  'e2e/core/secrets-leak.test.ts',
  'e2e/host/native-host.test.ts',
  'e2e/browser/fill.test.ts',
  'e2e/mcp/mcp-login.test.ts',
  'e2e/settings/crud.test.ts',
  'e2e/policy/confirm.test.ts',
  'e2e/desktop/mcp.test.ts',
  'e2e/guard/channels.test.ts',
  'e2e/containment/capable-agent.test.ts',
  'e2e/adversarial/leaks.test.ts',
  'e2e/onboarding/mcp-config.test.ts',
  'e2e/firefox/mcp.test.ts',
];
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const extra = quick ? [...args.filter((a) => a !== '--quick'), 'shared/', 'native-host/', 'extension/', ...QUICK_E2E] : args;
const v = run([
  path.join(root, 'node_modules/vitest/vitest.mjs'),
  'run',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${report}`,
  ...extra,
]);

let passed = 0;
let failed = 0;
if (existsSync(report)) {
  const r = JSON.parse(readFileSync(report, 'utf8'));
  passed = r.numPassedTests ?? 0;
  failed = (r.numFailedTests ?? 0) + (r.numFailedTestSuites ?? 0 ? 0 : 0);
  // A file that failed to load has no tests but counts as a failure.
  for (const f of r.testResults ?? []) if (f.status === 'failed' && (f.assertionResults ?? []).length === 0) failed += 1;
} else {
  failed = 1;
}
// The e2e socket monitor (globalSetup) records any blindfill process holding a TCP/UDP socket.
const sockets = path.join(root, 'reports/socket-monitor.json');
if (existsSync(sockets)) {
  const m = JSON.parse(readFileSync(sockets, 'utf8'));
  if ((m.violations ?? []).length > 0) failed += 1;
}
if (v.status !== 0 && failed === 0) failed = 1;
process.stdout.write(`${passed} passed, ${failed} failed\n`);
process.exit(failed === 0 && v.status === 0 ? 0 : 1);
