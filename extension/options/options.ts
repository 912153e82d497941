/**
 * The settings page: list, add, edit and remove labelled credentials; unlock and lock;
 * import another password manager's export (import-view.ts).
 *
 * Secrets are write-only. The daemon never returns one; this page never keeps one
 * either: a password, TOTP seed or passphrase is read from its input when the form is
 * sent, the input is cleared at once, and the value lives only in the request being
 * sent (or, for a QR code, in one variable until the editor is saved or closed). Nothing
 * is stored (no chrome.storage, localStorage, IndexedDB) and nothing is logged.
 *
 * Changes that widen where a secret may go, replace or clear a stored value, or remove a
 * credential need the vault passphrase (for a keychain vault: a person's approval in a
 * desktop dialog the daemon shows); the daemon enforces it, this page only makes the
 * flow usable.
 */
import type { OwnerCredentialSummary as CredentialSummary } from '../../shared/credential.js';
import { keychainCommand } from './cli-hint.js';
import type { StatusResult } from '../../shared/ipc.js';
import type { SettingsFailure } from '../../shared/settings-protocol.js';
import { daemon, linkState } from '../ui/client.js';
import {
  checkAdd,
  checkEdit,
  describeTotp,
  type FieldErrors,
  type FormValues,
  isEmptyUpdate,
  labelError,
  originError,
  type Plan,
  sequenceError,
  totpError,
  type Widening,
  windowError,
} from './model.js';
import { initImport } from './import-view.js';
import { listAll } from './list-all.js';
import { type Indexed, indexList, view as listView } from './list-model.js';
import { type WindowedGrid, windowedGrid } from './windowed-grid.js';
import { decodeQrImage } from './qr.js';

const $ = <T extends HTMLElement = HTMLElement>(id: string): T => {
  const e = document.getElementById(id);
  if (!e) throw new Error(`missing #${id}`);
  return e as T;
};
const input = (id: string) => $<HTMLInputElement>(id);

// ---- state ---------------------------------------------------------------------------

let status: StatusResult | null = null;
let creds: CredentialSummary[] = [];
/** The credential being edited; null while adding. */
let editing: CredentialSummary | null = null;
/** Text read from a QR-code image: held only until the editor is saved or closed. */
let qrTotp: string | null = null;
let busy = false;

type View = 'loading' | 'offline' | 'absent' | 'locked' | 'list';
const VIEWS: Record<View, string> = {
  loading: 'loading',
  offline: 'view-offline',
  absent: 'view-absent',
  locked: 'view-locked',
  list: 'view-list',
};
let view: View = 'loading';

function show(v: View): void {
  const was = view;
  view = v;
  for (const [k, id] of Object.entries(VIEWS)) $(id).hidden = k !== v;
  $('lock').hidden = !(status?.vault === 'unlocked');
  if (was !== v && v === 'locked' && !anyDialogOpen()) {
    const target = status?.key_mode === 'keychain' ? $('unlock-submit') : input('unlock-pass');
    target.focus();
  }
}

function anyDialogOpen(): boolean {
  return document.querySelector('dialog[open]') !== null;
}

// ---- status --------------------------------------------------------------------------

/** The status pill: `text`, then `extra` (hidden on narrow screens, still read out). */
function setPill(kind: 'ok' | 'warn' | 'bad' | '', text: string, extra = ''): void {
  const dot = document.querySelector('#status .dot');
  if (dot) dot.className = `dot ${kind}`;
  $('status-text').replaceChildren(text, ...(extra ? [el('span', { class: 'wide-only', text: extra })] : []));
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

function renderStatus(): void {
  if (!status) return;
  if (status.vault === 'absent') setPill('warn', 'No vault');
  else if (status.vault === 'locked') setPill('warn', 'Locked');
  else setPill('ok', 'Unlocked', ` · ${plural(status.credentials, 'credential', 'credentials')}`);
}

async function showOffline(message: string): Promise<void> {
  status = null;
  creds = [];
  renderList();
  setPill('bad', 'Not connected');
  const link = await linkState();
  const detail = link.ok && link.result.lastError ? link.result.lastError : message;
  $('offline-detail').textContent = detail;
  show('offline');
}

/** Ask the daemon for its state and show the matching view. */
async function refresh(opts: { list?: boolean } = {}): Promise<void> {
  const st = await daemon('status', {});
  if (!st.ok) {
    await showOffline(st.message);
    return;
  }
  const before = status;
  status = st.result;
  renderStatus();
  if (status.vault !== 'unlocked' && creds.length > 0) {
    // Locked (or gone): the list goes with the key.
    creds = [];
    renderList();
  }
  if (status.vault === 'absent') return show('absent');
  if (status.vault === 'locked') {
    const keychain = status.key_mode === 'keychain';
    $('unlock-pass-field').hidden = keychain;
    $('unlock-submit').textContent = keychain ? 'Unlock with the OS keychain' : 'Unlock';
    return show('locked');
  }
  const needList = opts.list ?? (before?.vault !== 'unlocked' || before.credentials !== status.credentials || view !== 'list');
  if (needList) {
    const l = await listAll({ usernames: true });
    if (!l.ok) {
      if (l.code === 'VAULT_LOCKED') return refresh();
      toast(l.message);
      return;
    }
    creds = l.result.credentials;
    renderList();
  }
  const wasHidden = view !== 'list';
  show('list');
  if (wasHidden) grid?.refresh();
}

// ---- credential list -----------------------------------------------------------------

const SVG_NS = 'http://www.w3.org/2000/svg';
function icon(path: string): SVGSVGElement {
  const svg = document.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('aria-hidden', 'true');
  const p = document.createElementNS(SVG_NS, 'path');
  p.setAttribute('d', path);
  p.setAttribute('fill', 'none');
  p.setAttribute('stroke', 'currentColor');
  p.setAttribute('stroke-width', '2.4');
  p.setAttribute('stroke-linecap', 'round');
  p.setAttribute('stroke-linejoin', 'round');
  svg.append(p);
  return svg;
}
const CHECK = 'M5 12.5l4.5 4.5L19 7.5';
const DASH = 'M6 12h12';

function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: Partial<Record<string, string>> = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (v === undefined) continue;
    if (k === 'class') e.className = v;
    else if (k === 'text') e.textContent = v;
    else e.setAttribute(k, v);
  }
  e.append(...children);
  return e;
}

function factList(items: readonly string[], none: string): HTMLElement {
  if (items.length === 0) return el('span', { class: 'none', text: none });
  return el('ul', {}, ...items.map((t) => el('li', { text: t })));
}

/** The cards in the DOM are only those near the viewport (windowed-grid.ts). */
let grid: WindowedGrid<CredentialSummary> | null = null;
let indexed: Indexed[] = [];

function renderList(): void {
  indexed = indexList(creds);
  $('empty').hidden = creds.length > 0;
  $('list-tools').hidden = creds.length === 0;
  renderView();
}

/** Apply the search and sort to the list and show the result. */
function renderView(): void {
  grid ??= windowedGrid($('creds'), renderCard);
  const query = input('search').value;
  const shown = listView(indexed, query, $<HTMLSelectElement>('sort').value === 'origin' ? 'origin' : 'label');
  grid.set(shown);
  const noMatch = creds.length > 0 && shown.length === 0;
  $('no-match').hidden = !noMatch;
  $('list-count').textContent =
    creds.length === 0 ? '' : query.trim() === '' ? plural(creds.length, 'credential', 'credentials') : `${shown.length} of ${plural(creds.length, 'credential', 'credentials')}`;
}

function renderCard(c: CredentialSummary): HTMLLIElement {
  const titleId = `cred-${c.label}`;
  const has = (on: boolean, name: string) =>
    el('li', { class: on ? 'on' : 'off' }, icon(on ? CHECK : DASH), name, el('span', { class: 'sr-only', text: on ? ' set' : ' not set' }));
  const edit = el('button', { class: 'btn btn-small', type: 'button', 'aria-describedby': titleId }, 'Edit');
  edit.addEventListener('click', () => openEditor(c, edit));
  const remove = el('button', { class: 'btn btn-small btn-danger', type: 'button', 'aria-describedby': titleId }, 'Remove…');
  remove.addEventListener('click', () => openRemove(c, remove));
  return el(
    'li',
    { class: 'card', 'data-label': c.label },
    el(
      'div',
      { class: 'card-head' },
      el('h2', { id: titleId, text: c.label }),
      el('span', { class: `badge ${c.policy}`, title: c.policy === 'auto' ? 'Filled when an agent asks' : 'A person approves each use', text: c.policy }),
      ...(c.pending === 'created'
        ? [el('span', { class: 'badge pending', title: 'A sign-up the site did not accept (yet): not offered to agents. Keep it with `blindfill confirm-password`, or remove it.', text: 'pending sign-up' })]
        : c.pending === 'new_password'
          ? [el('span', { class: 'badge pending', title: 'A changed password awaits confirmation; the current one still fills. See `blindfill versions`.', text: 'password change pending' })]
          : []),
    ),
    el(
      'dl',
      { class: 'facts' },
      el('div', {}, el('dt', { text: 'Username' }), el('dd', { class: 'username' }, c.username ?? el('span', { class: 'none', text: 'none' }))),
      el('div', {}, el('dt', { text: 'Sites' }), el('dd', {}, factList(c.origins, 'none: never filled in a browser'))),
      el('div', {}, el('dt', { text: 'Windows' }), el('dd', {}, factList(c.windows, 'none: never typed'))),
    ),
    el('ul', { class: 'has', 'aria-label': 'Stored values' }, has(c.has_username, 'username'), has(c.has_password, 'password'), has(c.has_totp, 'TOTP'), has(c.has_passkey === true, c.rp_id !== undefined ? `passkey (${c.rp_id})` : 'passkey')),
    el('div', { class: 'card-actions' }, edit, remove),
  );
}

// ---- toast ---------------------------------------------------------------------------

let toastTimer: ReturnType<typeof setTimeout> | undefined;
function toast(text: string): void {
  const t = $('toast');
  t.textContent = text;
  t.classList.add('show');
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => {
    t.classList.remove('show');
    t.textContent = '';
  }, 4000);
}

// ---- dialogs -------------------------------------------------------------------------

const opener = new WeakMap<HTMLDialogElement, HTMLElement | null>();

function openDialog(d: HTMLDialogElement, from: HTMLElement | null, focus: HTMLElement): void {
  opener.set(d, from);
  d.showModal();
  focus.focus();
}

function wireDialog(d: HTMLDialogElement, onClose: () => void): void {
  for (const b of d.querySelectorAll<HTMLElement>('[data-close]')) b.addEventListener('click', () => d.close());
  d.addEventListener('close', () => {
    onClose();
    const back = opener.get(d);
    if (back?.isConnected) back.focus();
    else if (!anyDialogOpen()) $('main').focus();
  });
}

// ---- editor --------------------------------------------------------------------------

const editor = $<HTMLDialogElement>('editor');
const SECRET_INPUTS = ['f-password', 'f-totp'];

function setError(id: string, message: string | null): void {
  const err = document.getElementById(`${id}-err`);
  const field = document.getElementById(id);
  if (err) err.textContent = message ?? '';
  if (field) {
    if (message) field.setAttribute('aria-invalid', 'true');
    else field.removeAttribute('aria-invalid');
  }
}

function clearErrors(): void {
  for (const e of editor.querySelectorAll<HTMLElement>('.error')) e.textContent = '';
  for (const e of editor.querySelectorAll('[aria-invalid]')) e.removeAttribute('aria-invalid');
  banner(null);
}

function banner(message: string | null): void {
  const b = $('editor-err');
  b.textContent = message ?? '';
  b.hidden = !message;
}

/**
 * Reasons are shown when the form is sent (not on blur: a reason appearing on blur
 * moves the buttons under the pointer). Once a field shows one, it follows the typing.
 */
function revalidate(field: HTMLInputElement, check: () => string | null): void {
  field.addEventListener('input', () => {
    if (field.getAttribute('aria-invalid') === 'true') setError(field.id, check());
  });
}

let rowSeq = 0;
function addRow(kind: 'origins' | 'windows', value: string, focus: boolean): void {
  const list = $(kind);
  const id = `f-${kind}-${++rowSeq}`;
  const noun = kind === 'origins' ? 'Site' : 'Window';
  const field = el('input', {
    id,
    class: `input${kind === 'origins' ? ' mono' : ''}`,
    type: 'text',
    autocomplete: 'off',
    spellcheck: 'false',
    autocapitalize: 'off',
    placeholder: kind === 'origins' ? 'https://example.com' : 'Acme VPN — Sign in',
    'aria-describedby': `${id}-err ${kind}-hint`,
  });
  field.value = value;
  const remove = el('button', { class: 'btn btn-quiet btn-small', type: 'button' }, icon('M6 6l12 12M18 6 6 18'));
  const row = el('li', { class: 'row' }, field, remove, el('p', { id: `${id}-err`, class: 'error', role: 'alert' }));
  const renumber = () => {
    list.querySelectorAll('li').forEach((li, i) => {
      li.querySelector('input')?.setAttribute('aria-label', `${noun} ${i + 1}`);
      li.querySelector('button')?.setAttribute('aria-label', `Remove ${noun.toLowerCase()} ${i + 1}`);
    });
  };
  remove.addEventListener('click', () => {
    const next = (row.nextElementSibling ?? row.previousElementSibling)?.querySelector('input');
    row.remove();
    renumber();
    (next ?? $(kind === 'origins' ? 'add-origin' : 'add-window')).focus();
  });
  // Reasons appear when the form is sent; once shown, they follow the typing.
  revalidate(field, () => (field.value.trim() === '' ? null : kind === 'origins' ? originError(field.value) : windowError(field.value)));
  list.append(row);
  renumber();
  if (focus) field.focus();
}

function rowInputs(kind: 'origins' | 'windows'): HTMLInputElement[] {
  return [...$(kind).querySelectorAll('input')];
}

function setState(id: string, text: string, on: boolean): void {
  const s = $(id);
  s.textContent = text;
  s.classList.toggle('on', on);
}

function clearSecrets(): void {
  for (const id of SECRET_INPUTS) input(id).value = '';
  input('f-totp-qr').value = '';
  qrTotp = null;
  $('f-totp-qr-status').hidden = true;
  $('f-totp-qr-text').textContent = '';
  syncSecretControls();
}

function syncSecretControls(): void {
  const gen = input('f-password-generate');
  const pclear = input('f-password-clear');
  if (pclear.checked) gen.checked = false;
  gen.disabled = pclear.checked;
  const pw = input('f-password');
  pw.disabled = gen.checked || pclear.checked;
  if (pw.disabled) pw.value = '';
  const tclear = input('f-totp-clear');
  const totp = input('f-totp');
  totp.disabled = tclear.checked || qrTotp !== null;
  if (totp.disabled) totp.value = '';
  input('f-totp-qr').disabled = tclear.checked;
  $('f-totp-qr-label').classList.toggle('disabled', tclear.checked);
  const uclear = input('f-username-clear');
  input('f-username').disabled = uclear.checked;
  if (uclear.checked) input('f-username').value = '';
  const sclear = input('f-sequence-clear');
  input('f-sequence').disabled = sclear.checked;
  if (sclear.checked) input('f-sequence').value = '';
  if (gen.checked) setError('f-password', null);
}

function openEditor(c: CredentialSummary | null, from: HTMLElement | null): void {
  editing = c;
  const form = $<HTMLFormElement>('editor-form');
  form.reset();
  clearErrors();
  clearSecrets();
  $('origins').replaceChildren();
  $('windows').replaceChildren();
  $('editor-title').textContent = c ? `Edit ${c.label}` : 'Add credential';
  $('editor-save').textContent = c ? 'Save changes' : 'Add credential';
  const label = input('f-label');
  label.value = c?.label ?? '';
  label.readOnly = c !== null;
  $('f-label-hint').hidden = c !== null;
  for (const o of c?.origins ?? ['']) addRow('origins', o, false);
  for (const w of c?.windows ?? []) addRow('windows', w, false);
  input(c?.policy === 'confirm' ? 'f-policy-confirm' : 'f-policy-auto').checked = true;
  const stored = (on: boolean) => (c === null ? '' : on ? 'configured' : 'not set');
  setState('f-username-state', stored(c?.has_username ?? false), c?.has_username ?? false);
  setState('f-password-state', stored(c?.has_password ?? false), c?.has_password ?? false);
  setState('f-totp-state', stored(c?.has_totp ?? false), c?.has_totp ?? false);
  $('f-username-clear-wrap').hidden = !c?.has_username;
  $('f-password-clear-wrap').hidden = !c?.has_password;
  $('f-totp-clear-wrap').hidden = !c?.has_totp;
  $('f-passkey-field').hidden = c?.has_passkey !== true;
  $('f-passkey-state').textContent = c?.has_passkey === true ? `stored for ${c.rp_id ?? 'its site'}: made or imported, never shown` : '';
  $('f-sequence-clear-wrap').hidden = c === null;
  input('f-username').placeholder = c?.has_username ? 'Leave empty to keep it' : 'Optional';
  input('f-password').placeholder = c?.has_password ? 'Leave empty to keep it' : c ? 'Optional' : '';
  input('f-totp').placeholder = c?.has_totp ? 'Leave empty to keep it' : 'otpauth://totp/… or base32 key';
  input('f-sequence').placeholder = c ? 'Leave empty to keep it' : '{USERNAME}{TAB}{PASSWORD}{ENTER}';
  $<HTMLDetailsElement>('more').open = false;
  syncSecretControls();
  openDialog(editor, from, c ? (rowInputs('origins')[0] ?? input('f-username')) : label);
}

function readForm(): FormValues {
  const checked = editor.querySelector<HTMLInputElement>('input[name=policy]:checked');
  return {
    label: input('f-label').value.trim(),
    username: input('f-username').value,
    usernameClear: input('f-username-clear').checked,
    password: input('f-password').value,
    passwordGenerate: input('f-password-generate').checked,
    passwordClear: input('f-password-clear').checked,
    totp: qrTotp ?? input('f-totp').value,
    totpClear: input('f-totp-clear').checked,
    passkeyClear: input('f-passkey-clear').checked,
    origins: rowInputs('origins').map((i) => i.value),
    windows: rowInputs('windows').map((i) => i.value),
    sequence: input('f-sequence').value,
    sequenceClear: input('f-sequence-clear').checked,
    policy: checked?.value === 'confirm' ? 'confirm' : 'auto',
  };
}

/** Show errors beside their fields; focus the first. Keys as model.ts FieldErrors. */
function showErrors(errors: FieldErrors): void {
  const origins = rowInputs('origins');
  const windows = rowInputs('windows');
  const order: string[] = [];
  for (const [key, message] of Object.entries(errors)) {
    let id: string | undefined;
    const m = /^(origins|windows)\.(\d+)$/.exec(key);
    if (m) id = (m[1] === 'origins' ? origins : windows)[Number(m[2])]?.id;
    else id = `f-${key}`;
    if (!id) continue;
    if (key === 'totp' && qrTotp !== null) {
      $('f-totp-err').textContent = message;
      order.push('f-totp-qr');
    } else {
      setError(id, message);
      order.push(id);
    }
  }
  // Focus the first invalid control in document order.
  const first = [...editor.querySelectorAll<HTMLElement>('input')].find((e) => order.includes(e.id));
  // A reason inside the folded section must be seen: unfold it.
  if (order.some((id) => document.getElementById(id)?.closest('details'))) $<HTMLDetailsElement>('more').open = true;
  first?.focus();
}

function describeFailure(f: SettingsFailure): string {
  switch (f.code) {
    case 'VAULT_LOCKED':
      return 'The vault locked itself before this was saved. Unlock it and try again.';
    case 'DAEMON_UNAVAILABLE':
      return `blindfill is not reachable: ${f.message}`;
    default:
      return f.message;
  }
}

const NOT_SAVED_SECRETS = ' Nothing was saved; type any password or key again.';

async function onSave(ev: SubmitEvent): Promise<void> {
  ev.preventDefault();
  if (busy) return;
  clearErrors();
  const values = readForm();
  const checked = editing ? checkEdit(values, editing) : checkAdd(values, creds.map((c) => c.label));
  if (!checked.ok) {
    showErrors(checked.errors);
    return;
  }
  const plan = checked.plan;
  if (plan.kind === 'update' && isEmptyUpdate(plan)) {
    editor.close();
    toast('Nothing to change.');
    return;
  }
  // From here the values live only in `plan`: the inputs let go of them now.
  const typedSecret = values.password !== '' || values.totp !== '';
  clearSecrets();
  busy = true;
  $<HTMLButtonElement>('editor-save').disabled = true;
  try {
    const outcome = plan.kind === 'add' ? await saveAdd(plan) : await saveUpdate(plan);
    if (outcome === true) {
      editor.close();
      await refresh({ list: true });
      return;
    }
    if (outcome !== 'cancelled') {
      if (outcome.code === 'DUPLICATE_LABEL') setError('f-label', outcome.message);
      banner(describeFailure(outcome) + (typedSecret ? NOT_SAVED_SECRETS : ''));
    } else {
      const why = status?.key_mode === 'keychain' ? 'a confirmation outside the browser (blindfill in a terminal)' : 'your passphrase';
      banner(`Not saved: the change needs ${why}.${typedSecret ? ' Type any password or key again.' : ''}`);
    }
    if (outcome !== 'cancelled' && outcome.code === 'VAULT_LOCKED') await refresh({ list: false });
  } finally {
    busy = false;
    $<HTMLButtonElement>('editor-save').disabled = false;
    // Drop the plan's values with the plan: nothing refers to it after this.
    scrub(plan);
  }
}

/** Overwrite the plan's secret strings so nothing refers to them any more. */
function scrub(plan: Plan): void {
  if (plan.kind === 'add') {
    delete plan.credential.password;
    delete plan.credential.totp;
    delete plan.credential.username;
  } else {
    delete plan.changes.password;
    delete plan.changes.totp;
    delete plan.changes.username;
  }
}

async function saveAdd(plan: Extract<Plan, { kind: 'add' }>): Promise<true | SettingsFailure> {
  const r = await daemon('add', { credentials: [plan.credential] });
  if (!r.ok) return r;
  if (plan.generate) {
    const g = await daemon('generate', { label: plan.credential.label });
    if (!g.ok) {
      toast(`Added ${plan.credential.label}, but no password was generated: ${g.message}`);
      return true;
    }
  }
  toast(`Added ${plan.credential.label}.`);
  return true;
}

async function saveUpdate(plan: Extract<Plan, { kind: 'update' }>): Promise<true | SettingsFailure | 'cancelled'> {
  const label = plan.label;
  const hasChanges = Object.keys(plan.changes).length > 0;
  let updated = false;
  let note: string | null = null;
  // The update, then the generated password, each with the passphrase when there is one.
  const attempt = async (passphrase?: string): Promise<{ ok: true } | SettingsFailure> => {
    const pass = passphrase !== undefined ? { passphrase } : {};
    if (hasChanges && !updated) {
      const r = await daemon('update', { label, changes: plan.changes, ...pass });
      if (!r.ok) return r;
      updated = true;
    }
    if (plan.generate) {
      const g = await daemon('generate', { label, ...pass });
      if (!g.ok) {
        if (!updated) return g;
        note = `Saved ${label}, but no password was generated: ${g.message}`;
      }
    }
    return { ok: true };
  };
  const keychain = status?.key_mode === 'keychain';
  const needs = plan.widening.length > 0 || plan.replacing.length > 0;
  let r: { ok: true } | SettingsFailure;
  if (needs && !keychain) {
    const done = await confirmWidening(plan, attempt);
    if (done === 'cancelled') return 'cancelled';
    r = done;
  } else {
    if (needs) toast('Approve the change in the blindfill dialog on your desktop.');
    r = await attempt();
    if (!r.ok && (r.code === 'REAUTH_REQUIRED' || r.code === 'DENIED') && !updated) {
      // A change the page did not foresee, or a keychain vault with no desktop to ask on.
      if (keychain) {
        if (r.code === 'DENIED') return r;
        await explainKeychain(plan, r.message);
        return 'cancelled';
      }
      const done = await confirmWidening(plan, attempt);
      if (done === 'cancelled') return 'cancelled';
      r = done;
    }
  }
  if (!r.ok) return r;
  toast(note ?? `Saved ${label}.`);
  return true;
}

// ---- re-authentication ---------------------------------------------------------------

const reauth = $<HTMLDialogElement>('reauth');
type Attempt = (passphrase: string) => Promise<{ ok: true } | SettingsFailure>;
type UpdatePlan = Extract<Plan, { kind: 'update' }>;
let reauthAttempt: Attempt | null = null;
let reauthResolve: ((r: { ok: true } | SettingsFailure | 'cancelled') => void) | null = null;

function fillWhat(plan: UpdatePlan): void {
  $('reauth-label').textContent = plan.label;
  const what = $('reauth-what');
  const items = [
    ...plan.widening.map((w: Widening) => (w.kind === 'origin' ? `site ${w.text}` : w.kind === 'window' ? `window ${w.text}` : 'filled without asking (confirm → auto)')),
    ...plan.replacing.map((r) => `replaces the stored ${r}`),
  ];
  what.replaceChildren(...(items.length > 0 ? items : ['a wider set of sites, windows or uses, or a replaced value']).map((t) => el('li', { text: t })));
}

/**
 * Ask for the passphrase and send the change with it; a wrong passphrase keeps the
 * dialog open. Resolves with the daemon's final answer, or 'cancelled'.
 */
function confirmWidening<R extends { ok: true } | SettingsFailure>(plan: UpdatePlan, send: (passphrase: string) => Promise<R>): Promise<R | 'cancelled'> {
  fillWhat(plan);
  $('reauth-pass-block').hidden = false;
  $('reauth-keychain').hidden = true;
  $('reauth-submit').hidden = false;
  $('reauth-cancel').textContent = 'Cancel';
  setError('reauth-pass', null);
  input('reauth-pass').value = '';
  return new Promise((resolve) => {
    reauthAttempt = send;
    reauthResolve = resolve as (r: { ok: true } | SettingsFailure | 'cancelled') => void;
    openDialog(reauth, document.activeElement as HTMLElement | null, input('reauth-pass'));
  });
}

function explainKeychain(plan: UpdatePlan, message: string): Promise<void> {
  fillWhat(plan);
  $('reauth-pass-block').hidden = true;
  $('reauth-keychain').hidden = false;
  $('reauth-keychain-detail').textContent = `blindfill said: ${message}`;
  $('reauth-keychain-cmd').textContent = keychainCommand(plan.label);
  $('reauth-submit').hidden = true;
  $('reauth-cancel').textContent = 'Close';
  return new Promise((resolve) => {
    reauthAttempt = null;
    reauthResolve = () => resolve();
    openDialog(reauth, document.activeElement as HTMLElement | null, $('reauth-cancel'));
  });
}

async function onReauthSubmit(ev: SubmitEvent): Promise<void> {
  ev.preventDefault();
  const attempt = reauthAttempt;
  if (!attempt) return;
  const field = input('reauth-pass');
  const pass = field.value;
  field.value = '';
  if (pass === '') {
    setError('reauth-pass', 'Enter the vault passphrase.');
    field.focus();
    return;
  }
  setError('reauth-pass', null);
  const submit = $<HTMLButtonElement>('reauth-submit');
  submit.disabled = true;
  try {
    const r = await attempt(pass);
    if (!r.ok && (r.code === 'BAD_PASSPHRASE' || r.code === 'RATE_LIMITED')) {
      setError('reauth-pass', r.code === 'BAD_PASSPHRASE' ? 'Wrong passphrase: nothing was changed. Try again.' : `${r.message}. Nothing was changed.`);
      field.focus();
      return;
    }
    const resolve = reauthResolve;
    reauthResolve = null;
    reauthAttempt = null;
    reauth.close();
    resolve?.(r);
  } finally {
    submit.disabled = false;
  }
}

// ---- remove --------------------------------------------------------------------------

const removeDialog = $<HTMLDialogElement>('remove');
let removing: string | null = null;

function openRemove(c: CredentialSummary, from: HTMLElement): void {
  removing = c.label;
  $('remove-label').textContent = c.label;
  $('remove-err').textContent = '';
  const keychain = status?.key_mode === 'keychain';
  $('remove-pass-block').hidden = keychain;
  $('remove-keychain').hidden = !keychain;
  input('remove-pass').value = '';
  input('remove-pass').removeAttribute('aria-invalid');
  openDialog(removeDialog, from, keychain ? $('remove-submit') : input('remove-pass'));
}

async function onRemove(ev: SubmitEvent): Promise<void> {
  ev.preventDefault();
  if (!removing || busy) return;
  busy = true;
  try {
    const label = removing;
    // Removing is for good: the daemon wants the passphrase (or, for a keychain vault, a
    // person's approval on the desktop), which an agent driving this page does not have.
    const keychain = status?.key_mode === 'keychain';
    const field = input('remove-pass');
    const pass = field.value;
    field.value = '';
    if (!keychain && pass === '') {
      field.setAttribute('aria-invalid', 'true');
      $('remove-err').textContent = 'Enter the vault passphrase to remove it.';
      field.focus();
      return;
    }
    $('remove-err').textContent = keychain ? 'Approve the removal in the blindfill dialog on your desktop…' : '';
    const r = await daemon('remove', keychain ? { label } : { label, passphrase: pass });
    if (!r.ok) {
      $('remove-err').textContent = r.code === 'BAD_PASSPHRASE' ? 'Wrong passphrase: nothing was removed.' : describeFailure(r);
      if (!keychain) {
        field.setAttribute('aria-invalid', 'true');
        field.focus();
      }
      return;
    }
    field.removeAttribute('aria-invalid');
    opener.set(removeDialog, null);
    removeDialog.close();
    toast(`Removed ${label}.`);
    await refresh({ list: true });
    $('add').focus();
  } finally {
    busy = false;
  }
}

// ---- unlock / lock -------------------------------------------------------------------

async function onUnlock(ev: SubmitEvent): Promise<void> {
  ev.preventDefault();
  if (busy) return;
  const field = input('unlock-pass');
  const keychain = status?.key_mode === 'keychain';
  const pass = field.value;
  field.value = '';
  if (!keychain && pass === '') {
    setError('unlock-pass', 'Enter the vault passphrase.');
    field.focus();
    return;
  }
  setError('unlock-pass', null);
  busy = true;
  // A keychain vault unlocks from here only after a person approves it on the desktop.
  $('unlock-note').textContent = keychain ? 'Approve the unlock in the blindfill dialog on your desktop…' : '';
  try {
    const r = await daemon('unlock', keychain ? {} : { passphrase: pass });
    $('unlock-note').textContent = '';
    if (!r.ok) {
      setError('unlock-pass', r.code === 'BAD_PASSPHRASE' ? 'Wrong passphrase.' : describeFailure(r));
      if (!keychain) field.focus();
      return;
    }
    await refresh({ list: true });
    $('add').focus();
  } finally {
    busy = false;
  }
}

async function onLock(): Promise<void> {
  const r = await daemon('lock', {});
  if (!r.ok) {
    toast(describeFailure(r));
    return;
  }
  await refresh();
  toast('Vault locked.');
}

// ---- QR image ------------------------------------------------------------------------

async function onQrChosen(): Promise<void> {
  const fileInput = input('f-totp-qr');
  const file = fileInput.files?.[0];
  fileInput.value = '';
  setError('f-totp', null);
  if (!file) return;
  const text = await decodeQrImage(file);
  if (text === null) {
    $('f-totp-err').textContent = 'No QR code found in that image. Try a sharper or larger screenshot.';
    return;
  }
  const e = totpError(text);
  if (e) {
    $('f-totp-err').textContent = `That QR code is not a TOTP setup code: ${e}`;
    return;
  }
  qrTotp = text;
  input('f-totp').value = '';
  $('f-totp-qr-text').textContent = `QR code read: ${describeTotp(text) ?? 'TOTP'}. Saved with the credential when you save; never shown.`;
  $('f-totp-qr-status').hidden = false;
  syncSecretControls();
}

// ---- wiring --------------------------------------------------------------------------

function init(): void {
  wireDialog(editor, () => {
    clearSecrets();
    $<HTMLFormElement>('editor-form').reset();
    $('origins').replaceChildren();
    $('windows').replaceChildren();
    editing = null;
  });
  wireDialog(reauth, () => {
    input('reauth-pass').value = '';
    const resolve = reauthResolve;
    reauthResolve = null;
    reauthAttempt = null;
    resolve?.('cancelled');
  });
  wireDialog(removeDialog, () => {
    removing = null;
  });

  $('add').addEventListener('click', (e) => openEditor(null, e.currentTarget as HTMLElement));
  $('add-origin').addEventListener('click', () => addRow('origins', '', true));
  $('add-window').addEventListener('click', () => addRow('windows', '', true));
  $<HTMLFormElement>('editor-form').addEventListener('submit', (e) => void onSave(e));
  $<HTMLFormElement>('reauth-form').addEventListener('submit', (e) => void onReauthSubmit(e));
  $<HTMLFormElement>('remove-form').addEventListener('submit', (e) => void onRemove(e));
  $<HTMLFormElement>('unlock-form').addEventListener('submit', (e) => void onUnlock(e));
  $('lock').addEventListener('click', () => void onLock());
  $('retry').addEventListener('click', () => void refresh());
  $('retry-absent').addEventListener('click', () => void refresh());
  input('f-totp-qr').addEventListener('change', () => void onQrChosen());
  $('f-totp-qr-discard').addEventListener('click', () => {
    qrTotp = null;
    $('f-totp-qr-status').hidden = true;
    syncSecretControls();
    input('f-totp').focus();
  });
  for (const id of ['f-password-generate', 'f-password-clear', 'f-totp-clear', 'f-username-clear', 'f-sequence-clear']) {
    input(id).addEventListener('change', syncSecretControls);
  }
  const label = input('f-label');
  revalidate(label, () => (editing ? null : labelError(label.value.trim(), creds.map((c) => c.label))));
  const totp = input('f-totp');
  revalidate(totp, () => (totp.value.trim() === '' ? null : totpError(totp.value)));
  const sequence = input('f-sequence');
  revalidate(sequence, () => (sequence.value === '' ? null : sequenceError(sequence.value)));

  initImport({ el, openDialog, wireDialog, refresh, describeFailure });
  input('search').addEventListener('input', renderView);
  $('sort').addEventListener('change', renderView);

  // The vault may lock itself (idle timeout) or be locked from elsewhere: follow it.
  // Only `status` is polled: it does not count as activity (list would keep the vault open).
  setInterval(() => {
    if (document.visibilityState === 'visible' && !busy && !anyDialogOpen()) void refresh();
  }, 5000);
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible' && !busy && !anyDialogOpen()) void refresh();
  });

  void refresh({ list: true });
}

init();
