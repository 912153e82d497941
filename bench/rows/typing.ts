/**
 * Row 5: desktop typing speed and accuracy. A 64-character password is typed into a
 * zenity password dialog on a private Xvfb, alternately by
 * - 5: the agent's path, the MCP tool `type_credential` (field password, submit) through a
 *   running `blindfill mcp`, timed from the call to its result, as row 1 times a fill;
 * - 5b: the CLI for scripts, `blindfill type LABEL --field password --submit`, from spawn
 *   to exit (a node process start included);
 * - the baseline: `xdotool type --delay 0 --file -` + `xdotool key Return` (what an agent
 *   with the plaintext would run), from the first spawn to the last exit.
 * Each into a fresh, identical dialog; 5 against the baseline `runs` times, 5b against it
 * up to 50 times. Speed: 64 characters / time; accuracy: wrong characters in what the
 * dialog printed, summed over all runs (the target needs 0).
 * For the analysis, the same `type` request is also sent straight over the daemon socket.
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
import { alternateAll, measuredRow, type Row, unavailableRow } from '../lib/row.js';
import { type Mcp, startMcp } from '../lib/stack.js';

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

export async function typingRows(runs: number): Promise<Row[]> {
  if (!existsSync(path.join(ROOT, 'native-host/desktop'))) {
    return [unavailableRow('5', NAME, 'chars/s', 'not available yet: native-host/desktop/ does not exist (desktop typing is being built)')];
  }
  let x: Xvfb | null = null;
  let home: Home | null = null;
  let mcp: Mcp | null = null;
  try {
    x = await startXvfb();
    home = makeHome('typing');
    home.env.DISPLAY = x.display;
    await initHome(home);
    await home.must(['add', '--json-stdin'], JSON.stringify({ label: 'typing', password: PASSWORD, windows: [TITLE] }));

    mcp = await startMcp(home.env);

    let wrongMcp = 0;
    let wrongBlindfill = 0;
    let wrongXdotool = 0;
    const viaMcp = async (): Promise<number> => {
      const d = await openDialog(x!);
      try {
        const t0 = performance.now();
        const r = await mcp!.call('type_credential', { label: 'typing', field: 'password', submit: true });
        const ms = performance.now() - t0;
        if (r.isError) throw new Error(`type_credential: ${String(r.structured.code)} ${String(r.structured.message)}`);
        wrongMcp += wrongChars(await d.result, PASSWORD);
        return PASSWORD.length / (ms / 1000);
      } finally {
        d.close();
      }
    };
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
      return [unavailableRow('5', NAME, 'chars/s', `not available yet: \`blindfill type\` into a zenity dialog failed: ${(e as Error).message.slice(0, 200)}`)];
    }
    wrongBlindfill = 0;
    const [viaMcpSamples, xdotoolSamples] = await alternateAll(runs, [viaMcp, viaXdotool]);
    // 5b needs fewer runs: the accuracy over `runs` is row 5's, and a dialog costs ~1 s.
    const cliRuns = Math.min(runs, 50);
    const [viaCliSamples, xdotoolCliSamples] = await alternateAll(cliRuns, [viaBlindfill, viaXdotool]);

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
    const xdotool = '`xdotool type --delay 0 --file -` + `key Return`';
    const wrong = { wrong_chars_mcp: wrongMcp, wrong_chars_cli: wrongBlindfill, wrong_chars_xdotool: wrongXdotool };
    const agent = measuredRow({
      id: '5',
      name: NAME,
      unit: 'chars/s',
      higherIsBetter: true,
      target: 1,
      blindfill: { what: 'MCP `type_credential` (field password, submit) → result', samples: viaMcpSamples! },
      baseline: { what: xdotool, samples: xdotoolSamples! },
      note: 'ratio = xdotool chars/s / blindfill chars/s; the target also needs 0 wrong characters',
      extra: {
        runs,
        ...wrong,
        daemon_socket_type_median_chars_per_s: Math.round(stats(direct).median),
        daemon_socket_runs: direct.length,
        wrong_chars_daemon_socket: wrongDirect,
      },
    });
    // "At least as fast, 0 wrong": a wrong character anywhere misses the target.
    agent.met = agent.met === true && wrongMcp === 0 && wrongDirect === 0;
    const cli = measuredRow({
      id: '5b',
      name: `${NAME}, from a script`,
      unit: 'chars/s',
      higherIsBetter: true,
      blindfill: { what: '`blindfill type --field password --submit` (spawn → exit: a node start included)', samples: viaCliSamples! },
      baseline: { what: xdotool, samples: xdotoolCliSamples! },
      note: 'ratio = xdotool chars/s / blindfill chars/s',
      extra: { runs: cliRuns, ...wrong },
    });
    return [agent, cli];
  } finally {
    await mcp?.close();
    await home?.remove();
    await x?.stop();
  }
}
