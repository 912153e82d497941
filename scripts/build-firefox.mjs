// dist/firefox/: the same extension for Firefox (MV3), made from the Chromium build
// (one source tree). Copies dist/chromium and rewrites its manifest:
// - background: Firefox (153 ESR included) runs MV3 background *scripts* (an event page),
//   not service workers; `type: "module"` lets the crxjs loader keep its ES import.
// - browser_specific_settings.gecko.id: the add-on ID the native host manifest allows
//   (FIREFOX_EXTENSION_ID in native-host/native-messaging/host-manifest.ts).
// - no `key` and no `minimum_chrome_version` (Chromium-only keys).
// - webRequest + webRequestBlocking: webRequest.getSecurityInfo (each frame's TLS state,
//   extension/background/tls-watch.ts) works only in a blocking listener. Chromium has
//   no such call, and MV3 Chromium grants blocking webRequest to policy installs only.
import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const FIREFOX_EXTENSION_ID = 'blindfill@blindfill.dev';
export const FIREFOX_MIN_VERSION = '128.0';

export function firefoxManifest(chromium) {
  const m = structuredClone(chromium);
  delete m.key;
  delete m.minimum_chrome_version;
  const bg = m.background ?? {};
  const script = bg.service_worker ?? bg.scripts?.[0];
  if (typeof script !== 'string') throw new Error('the Chromium manifest has no background script');
  m.background = { scripts: [script], type: 'module' };
  m.permissions = [...new Set([...(m.permissions ?? []), 'webRequest', 'webRequestBlocking'])];
  m.browser_specific_settings = { gecko: { id: FIREFOX_EXTENSION_ID, strict_min_version: FIREFOX_MIN_VERSION } };
  return m;
}

export function buildFirefox(src = path.join(root, 'dist/chromium'), out = path.join(root, 'dist/firefox')) {
  if (!existsSync(path.join(src, 'manifest.json'))) throw new Error(`${src} has no manifest.json: build the Chromium extension first`);
  rmSync(out, { recursive: true, force: true });
  // Vite's build manifest (.vite/) and source maps are not part of the extension.
  cpSync(src, out, { recursive: true, filter: (f) => !/(^|[\\/])\.vite([\\/]|$)/.test(path.relative(src, f)) && !f.endsWith('.map') });
  const manifest = firefoxManifest(JSON.parse(readFileSync(path.join(src, 'manifest.json'), 'utf8')));
  writeFileSync(path.join(out, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return out;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  buildFirefox();
  process.stderr.write('built dist/firefox/\n');
}
