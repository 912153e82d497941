/**
 * Launch the system Chromium through Playwright, with a persistent profile (so the native
 * host manifest in `USER_DATA_DIR/NativeMessagingHosts/` is found) and optionally our
 * unpacked MV3 extension.
 *
 * Every host name resolves to 127.0.0.1 (`--host-resolver-rules`), so the fixture sites
 * are reached as `https://bank.test:PORT/plain`. With `trustCa` (the fixture server's
 * certPem) Chromium validates their certificates itself: the CA goes into the NSS store
 * of a throw-away HOME (nss.ts), and certificate errors are NOT ignored, so a site with
 * any other certificate shows Chromium's interstitial. Without it, certificate errors are
 * ignored (`--ignore-certificate-errors`), which blindfill cannot see (THREAT_MODEL.md).
 */
import { chromium, type BrowserContext, type Page, type Worker } from 'playwright';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { nssHome } from './nss.js';

export const CHROMIUM_PATH = process.env.BLINDFILL_CHROMIUM ?? '/usr/bin/chromium';

export interface LaunchOptions {
  /** Unpacked extension to load (e.g. `dist/chromium`). */
  readonly extensionDir?: string;
  /** Profile directory to use (kept on close). Default: a fresh temp dir (removed on close). */
  readonly userDataDir?: string;
  /**
   * A CA certificate (PEM) to trust, e.g. `server.certPem`: then certificate errors are not
   * ignored. Chromium (and the native host it starts) runs with HOME set to a temp dir
   * whose `.pki/nssdb` holds the CA; the dir is removed on close.
   */
  readonly trustCa?: string;
  /** Default `MAP * 127.0.0.1`. */
  readonly hostResolverRules?: string;
  /** Default true: `--headless=new`. false: a real window, only if DISPLAY is set in `env`
   *  (or process.env); otherwise it still runs headless. */
  readonly headless?: boolean;
  /** Environment of the browser process — and so of the native host it starts
   *  (put BLINDFILL_HOME, DISPLAY, DBUS_SESSION_BUS_ADDRESS here). Default process.env. */
  readonly env?: NodeJS.ProcessEnv;
  /** Called with the profile dir after it exists and before Chromium starts, e.g. to run
   *  `blindfill host install --browser chromium --user-data-dir DIR`. */
  readonly beforeLaunch?: (userDataDir: string) => void | Promise<void>;
  /** More Chromium switches. */
  readonly args?: readonly string[];
  /** Default 1280x800. */
  readonly viewport?: { width: number; height: number } | null;
  /** How long to wait for the extension's service worker (default 15 s). */
  readonly extensionTimeoutMs?: number;
  /** Playwright launch timeout (default 30 s). */
  readonly timeoutMs?: number;
}

export interface LaunchedChromium {
  readonly context: BrowserContext;
  /** The tab Chromium opened at start (about:blank). */
  readonly page: Page;
  readonly userDataDir: string;
  /** Only when an extension was loaded. */
  readonly extensionId?: string;
  readonly serviceWorker?: Worker;
  /** Whether the browser runs headless. */
  readonly headless: boolean;
  /** Close the browser; removes the profile dir if the harness created it. Idempotent. */
  close(): Promise<void>;
}

function extensionIdOf(url: string): string | null {
  const m = /^chrome-extension:\/\/([a-p]{32})\//.exec(url);
  return m?.[1] ?? null;
}

/**
 * Start Chromium. The command line is Playwright's defaults (minus `--disable-extensions`
 * when an extension is loaded) plus: `--headless=new` (unless headful), `--no-sandbox`,
 * `--disable-gpu`, `--disable-background-networking`, `--disable-component-update`,
 * `--disable-sync`, `--no-first-run`, `--ignore-certificate-errors` (unless `trustCa`),
 * `--host-resolver-rules=MAP * 127.0.0.1`, and for an extension
 * `--disable-extensions-except=DIR --load-extension=DIR`.
 */
export async function launchChromium(opts: LaunchOptions = {}): Promise<LaunchedChromium> {
  const trustHome = opts.trustCa !== undefined ? nssHome(opts.trustCa) : undefined;
  const env = trustHome !== undefined ? { ...(opts.env ?? process.env), HOME: trustHome } : (opts.env ?? process.env);
  const removeTrustHome = () => (trustHome !== undefined ? rm(trustHome, { recursive: true, force: true }).catch(() => undefined) : undefined);
  const ownDir = opts.userDataDir === undefined;
  const userDataDir = opts.userDataDir ?? (await mkdtemp(join(tmpdir(), 'bf-chromium-')));
  const headless = !(opts.headless === false && env.DISPLAY );
  const args: string[] = [
    ...(headless ? ['--headless=new'] : []),
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--no-default-browser-check',
    ...(trustHome === undefined ? ['--ignore-certificate-errors'] : []),
    `--host-resolver-rules=${opts.hostResolverRules ?? 'MAP * 127.0.0.1'}`,
  ];
  const ignoreDefaultArgs: string[] = [];
  if (opts.extensionDir !== undefined) {
    const dir = resolve(opts.extensionDir);
    args.push(`--disable-extensions-except=${dir}`, `--load-extension=${dir}`);
    ignoreDefaultArgs.push('--disable-extensions');
  }
  args.push(...(opts.args ?? []));

  let context: BrowserContext | undefined;
  try {
    await opts.beforeLaunch?.(userDataDir);
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM_PATH,
      headless: false, // headless is chosen by --headless=new above (Playwright would add old-style --headless)
      args,
      ignoreDefaultArgs,
      env: env as Record<string, string>,
      ignoreHTTPSErrors: trustHome === undefined,
      viewport: opts.viewport === undefined ? { width: 1280, height: 800 } : opts.viewport,
      timeout: opts.timeoutMs ?? 30_000,
    });
    let extensionId: string | undefined;
    let serviceWorker: Worker | undefined;
    if (opts.extensionDir !== undefined) {
      const isOurs = (w: Worker): boolean => extensionIdOf(w.url()) !== null;
      serviceWorker =
        context.serviceWorkers().find(isOurs) ??
        (await context.waitForEvent('serviceworker', { predicate: isOurs, timeout: opts.extensionTimeoutMs ?? 15_000 }));
      extensionId = extensionIdOf(serviceWorker.url()) ?? undefined;
    }
    const page = context.pages()[0] ?? (await context.newPage());
    const ctx = context;
    let closed: Promise<void> | null = null;
    return {
      context: ctx,
      page,
      userDataDir,
      headless,
      ...(extensionId !== undefined ? { extensionId } : {}),
      ...(serviceWorker !== undefined ? { serviceWorker } : {}),
      close: () =>
        (closed ??= (async () => {
          await ctx.close().catch(() => undefined);
          if (ownDir) await rm(userDataDir, { recursive: true, force: true }).catch(() => undefined);
          await removeTrustHome();
        })()),
    };
  } catch (e) {
    await context?.close().catch(() => undefined);
    if (ownDir) await rm(userDataDir, { recursive: true, force: true }).catch(() => undefined);
    await removeTrustHome();
    throw e;
  }
}
