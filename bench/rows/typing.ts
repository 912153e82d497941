/**
 * Row 5: desktop typing speed and accuracy. A 64-character password is typed into a
 * zenity password dialog on a private Xvfb, by `blindfill type LABEL --field password
 * --submit` and, alternately, by `xdotool type --delay 0 --file -` + `xdotool key Return`
 * into an identical dialog. Speed: 64 characters / (command spawn → exit); accuracy: wrong
 * characters in what the dialog printed, summed over all runs. For the analysis, the same
 * `type` request is also sent straight over the daemon socket (no CLI process start).
 *
 * Skipped ("not available yet") until native-host/desktop/ exists and one `blindfill type`
 * into the dialog works.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { startXvfb, type Xvfb } from '../../e2e/harness/display.js';
import { DaemonSocket, type Home, initHome, makeHome } from '../lib/home.js';
import { stats } from '../lib/stats.js';
import { ROOT, timedSpawn, waitFor } from '../lib/proc.js';
import { alternate, measuredRow, type Row, unavailableRow } from '../lib/row.js';

const NAME = 'desktop typing: 64-char password into a zenity dialog (Xvfb)';
const TITLE = 'Bench Login';
// 64 characters a US layout produces without dead keys: letters, digits, punctuation.
const PASSWORD = 'Kq7#vR2!mZ9@tL4$wX8%pN3^bJ6&hF1*cD5(gS0)yT-uE_iO+aW=oQ[lP]kM;n:';

interface Dialog {
  /** Resolves with what the dialog printed (the entry's text) when it closes. */
  result: Promise<string>;
  close(): void;
}

async function openDialog(x: Xvfb): Promise<Dialog> {
  const child = spawn('zenity', ['--entry', '--hide-text', `--title=${TITLE}`, '--text=Password'], { env: x.env, stdio: ['ignore', 'pipe', 'ignore'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
  const result = new Promise<string>((resolve) => child.on('close', () => resolve(out.replace(/\n$/, ''))));
  // Wait for the window, then give it the keyboard focus (there is no window manager).
  await waitFor(
    'the zenity dialog',
    async () => (await timedSpawn('xdotool', ['search', '--name', `^${TITLE}$`, 'windowfocus', '--sync'], x.env)).code === 0,
    10_000,
    50,
  );
  return { result, close: () => child.kill('SIGKILL') };
}

function wrongChars(got: string, want: string): number {
  let wrong = Math.abs(got.length - want.length);
  for (let i = 0; i < Math.min(got.length, want.length); i++) if (got[i] !== want[i]) wrong++;
  return wrong;
}

export async function typingRow(runs: number): Promise<Row> {
  if (!existsSync(path.join(ROOT, 'native-host/desktop'))) {
    return unavailableRow('5', NAME, 'chars/s', 'not available yet: native-host/desktop/ does not exist (desktop typing is being built)');
  }
  let x: Xvfb | null = null;
  let home: Home | null = null;
  try {
    x = await startXvfb();
    home = makeHome('typing');
    home.env.DISPLAY = x.display;
    await initHome(home);
    await home.must(['add', '--json-stdin'], JSON.stringify({ label: 'typing', password: PASSWORD, windows: [TITLE] }));

    let wrongBlindfill = 0;
    let wrongXdotool = 0;
    const viaBlindfill = async (): Promise<number> => {
      const d = await openDialog(x!);
      try {
        const r = await home!.run(['type', 'typing', '--field', 'password', '--submit']);
        if (r.code !== 0) throw new Error(r.stderr.trim() || `exit ${r.code}`);
        wrongBlindfill += wrongChars(await d.result, PASSWORD);
        return PASSWORD.length / (r.ms / 1000);
      } finally {
        d.close();
      }
    };
    const viaXdotool = async (): Promise<number> => {
      const d = await openDialog(x!);
      try {
        const t = await timedSpawn('xdotool', ['type', '--delay', '0', '--file', '-'], x!.env, PASSWORD);
        const k = await timedSpawn('xdotool', ['key', 'Return'], x!.env);
        if (t.code !== 0 || k.code !== 0) throw new Error(`xdotool failed: ${t.stderr}${k.stderr}`);
        wrongXdotool += wrongChars(await d.result, PASSWORD);
        return PASSWORD.length / ((t.ms + k.ms) / 1000);
      } finally {
        d.close();
      }
    };

    // The gate: one real `blindfill type` into the dialog.
    try {
      await viaBlindfill();
    } catch (e) {
      return unavailableRow('5', NAME, 'chars/s', `not available yet: \`blindfill type\` into a zenity dialog failed: ${(e as Error).message.slice(0, 200)}`);
    }
    wrongBlindfill = 0;
    const { a, b } = await alternate(runs, viaBlindfill, viaXdotool);

    // The same typing asked straight over the daemon socket: no CLI process start.
    const sock = await DaemonSocket.connect(home.socketPath());
    const direct: number[] = [];
    let wrongDirect = 0;
    try {
      for (let i = 0; i < Math.min(runs, 20); i++) {
        const d = await openDialog(x);
        try {
          const { ms } = await sock.must({ op: 'type', label: 'typing', field: 'password', submit: true });
          wrongDirect += wrongChars(await d.result, PASSWORD);
          direct.push(PASSWORD.length / (ms / 1000));
        } finally {
          d.close();
        }
      }
    } finally {
      sock.close();
    }
    return measuredRow({
      id: '5',
      name: NAME,
      unit: 'chars/s',
      higherIsBetter: true,
      blindfill: { what: '`blindfill type --field password --submit`', samples: a },
      baseline: { what: '`xdotool type --delay 0 --file -` + `key Return`', samples: b },
      note: 'ratio = xdotool chars/s / blindfill chars/s',
      extra: {
        runs,
        wrong_chars_blindfill: wrongBlindfill,
        wrong_chars_xdotool: wrongXdotool,
        daemon_socket_type_median_chars_per_s: Math.round(stats(direct).median),
        daemon_socket_runs: direct.length,
        wrong_chars_daemon_socket: wrongDirect,
      },
    });
  } finally {
    await home?.remove();
    await x?.stop();
  }
}
