/**
 * The toolbar popup: is the host connected, is the vault locked, how many credentials;
 * a Lock button and the way to the settings page. It may ask only for status and lock.
 */
import { daemon, linkState } from '../ui/client.js';

const $ = (id: string): HTMLElement => {
  const e = document.getElementById(id);
  if (!e) throw new Error(`missing #${id}`);
  return e;
};

function pill(kind: 'ok' | 'warn' | 'bad', text: string): void {
  const dot = document.querySelector('#state .dot');
  if (dot) dot.className = `dot ${kind}`;
  $('state-text').textContent = text;
}

function minutes(s: number): string {
  return s < 90 ? `${s} s` : `${Math.round(s / 60)} min`;
}

async function refresh(): Promise<void> {
  const lock = $('lock') as HTMLButtonElement;
  const [link, st] = await Promise.all([linkState(), daemon('status', {})]);
  const version = link.ok ? link.result.version : null;
  if (!st.ok) {
    $('host').textContent = 'Not connected';
    $('vault').textContent = 'Unknown';
    $('count').textContent = '–';
    $('err').textContent = link.ok && link.result.lastError ? link.result.lastError : st.message;
    pill('bad', 'Offline');
    lock.disabled = true;
    return;
  }
  $('err').textContent = '';
  $('host').textContent = `Connected${version ? ` · v${version}` : ''}`;
  const s = st.result;
  $('count').textContent = s.vault === 'absent' ? '–' : String(s.credentials);
  if (s.vault === 'unlocked') {
    $('vault').textContent = s.locks_in_s !== undefined ? `Unlocked · locks in ${minutes(s.locks_in_s)}` : 'Unlocked';
    pill('ok', 'Unlocked');
  } else if (s.vault === 'locked') {
    $('vault').textContent = 'Locked';
    pill('warn', 'Locked');
  } else {
    $('vault').textContent = 'No vault';
    pill('warn', 'No vault');
  }
  lock.disabled = s.vault !== 'unlocked';
  $('open').textContent = s.vault === 'locked' ? 'Unlock…' : 'Open settings';
}

$('lock').addEventListener('click', async () => {
  const r = await daemon('lock', {});
  if (!r.ok) $('err').textContent = r.message;
  await refresh();
  if (r.ok) $('open').focus();
});
$('open').addEventListener('click', (e) => {
  e.preventDefault();
  void chrome.runtime.openOptionsPage();
  // In the toolbar popup, close it; opened as a tab (tests), stay.
  if (chrome.extension.getViews({ type: 'popup' }).includes(window)) window.close();
});

void refresh();
