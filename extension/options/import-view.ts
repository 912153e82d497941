/**
 * The settings page's "Import" dialog: the same import as `blindfill import --format F
 * FILE`, run in this page (parsers and planner from shared/import/, page rules in
 * import-model.ts) and saved through the one `add` op the page already uses, as ONE
 * all-or-nothing batch.
 *
 * The file's plaintext lives only in this module: the raw entries, from the moment the
 * file is read until the batch is sent or the dialog closes. The preview built from them
 * is secret-free (labels, origins, reasons); the DOM only ever gets the preview. The
 * text, the bytes and every planned credential are dropped as soon as they have been
 * used. Nothing is logged; answers from the daemon carry labels only (strict schemas).
 */
import type { DaemonAnswer, SettingsFailure } from '../../shared/settings-protocol.js';
import type { RawEntry } from '../../shared/import/types.js';
import { daemon } from '../ui/client.js';
import { listAll } from './list-all.js';
import {
  decodeFile,
  deleteReminder,
  finalBatch,
  FORMAT_CHOICES,
  importButtonText,
  noOriginsNote,
  parseFile,
  prepare,
  type Preview,
  resultText,
  scrubEntries,
  scrubPlan,
  sizeError,
  summaryText,
} from './import-model.js';

export interface ImportDeps {
  el<K extends keyof HTMLElementTagNameMap>(tag: K, props?: Partial<Record<string, string>>, ...children: (Node | string)[]): HTMLElementTagNameMap[K];
  openDialog(d: HTMLDialogElement, from: HTMLElement | null, focus: HTMLElement): void;
  wireDialog(d: HTMLDialogElement, onClose: () => void): void;
  /** Reload status and list; shows the locked view when the vault locked meanwhile. */
  refresh(opts?: { list?: boolean }): Promise<void>;
  describeFailure(f: SettingsFailure): string;
}

/** At most this many rows per preview list; the rest is counted. */
const SHOW_MAX = 200;

const $ = <T extends HTMLElement = HTMLElement>(id: string): T => {
  const e = document.getElementById(id);
  if (!e) throw new Error(`missing #${id}`);
  return e as T;
};

export function initImport(deps: ImportDeps): void {
  const { el } = deps;
  const dialog = $<HTMLDialogElement>('import');
  const fileInput = $<HTMLInputElement>('import-file');
  const submit = $<HTMLButtonElement>('import-submit');

  // ---- state: the only place the file's values live ----------------------------------
  /** The chosen file (a handle; read again when the format changes). */
  let chosen: File | null = null;
  /** Parsed entries of the chosen file in the chosen format: plaintext until sent or closed. */
  let entries: RawEntry[] | null = null;
  let loaded: { format: string; fileName: string; preview: Preview } | null = null;
  /** Bumped on every new choice and on close: a slower read of an older choice is dropped. */
  let generation = 0;
  let busy = false;
  let lockedMeanwhile = false;

  /** A failure as a sentence for this dialog. */
  function why(f: SettingsFailure): string {
    if (f.code === 'VAULT_LOCKED') {
      lockedMeanwhile = true;
      return 'The vault is locked. Unlock it, then import again.';
    }
    const t = deps.describeFailure(f).trim();
    return /[.!?]$/.test(t) ? t : `${t}.`;
  }

  function drop(): void {
    if (entries) scrubEntries(entries);
    entries = null;
    loaded = null;
  }

  // ---- format choices (the CLI's list) -----------------------------------------------
  $('import-formats').replaceChildren(
    ...FORMAT_CHOICES.map((f) => {
      const radio = el('input', { type: 'radio', name: 'import-format', value: f.id, id: `import-format-${f.id}` });
      return el('label', { class: 'choice' }, radio, el('span', {}, el('strong', { text: f.name }), el('span', { class: 'hint block', text: f.what })));
    }),
  );
  const selectedFormat = (): string | null => dialog.querySelector<HTMLInputElement>('input[name=import-format]:checked')?.value ?? null;

  // ---- rendering ---------------------------------------------------------------------
  function error(message: string | null): void {
    const b = $('import-err');
    b.textContent = message ?? '';
    b.hidden = !message;
    if (message) b.scrollIntoView({ block: 'nearest' });
  }

  function setSubmit(n: number | null): void {
    submit.hidden = false;
    submit.disabled = n === null || n === 0;
    submit.textContent = n === null ? 'Import' : importButtonText(n);
  }

  function clearPreview(): void {
    $('import-preview').hidden = true;
    for (const id of ['import-list', 'import-skipped', 'import-notes']) $(id).replaceChildren();
    $('import-summary').textContent = '';
    $('import-refusal').hidden = true;
    $('import-refusal').textContent = '';
  }

  function capped<T>(items: readonly T[], row: (x: T) => HTMLElement, more: (n: number) => string): HTMLElement[] {
    const out = items.slice(0, SHOW_MAX).map(row);
    if (items.length > SHOW_MAX) out.push(el('li', { class: 'more-rows muted', text: more(items.length - SHOW_MAX) }));
    return out;
  }

  function renderPreview(p: Preview): void {
    $('import-summary').textContent = summaryText(p);
    $('import-list').replaceChildren(
      ...capped(
        p.credentials,
        (c) =>
          el(
            'li',
            { 'data-label': c.label },
            el('span', { class: 'mono preview-label', text: c.label }),
            el('span', { class: 'preview-origins', text: c.origins.length > 0 ? c.origins.join(', ') : 'no sites: one-time codes only' }),
          ),
        (n) => `and ${n} more`,
      ),
    );
    $('import-skipped').replaceChildren(
      ...capped(
        p.skipped,
        (s) => el('li', {}, el('strong', { class: 'skip-name', text: s.name }), el('span', { class: 'skip-reason', text: s.reason })),
        (n) => `and ${n} more skipped`,
      ),
    );
    const notes = [...p.notes];
    const none = noOriginsNote(p.noOrigins);
    if (none) notes.push(none);
    $('import-notes').replaceChildren(...capped(notes, (t) => el('li', { text: t }), (n) => `and ${n} more notes`));
    $('import-will').hidden = p.credentials.length === 0;
    $('import-skip').hidden = p.skipped.length === 0;
    $('import-notes-part').hidden = notes.length === 0;
    $('import-refusal').textContent = p.refusal ?? '';
    $('import-refusal').hidden = p.refusal === null;
    $('import-preview').hidden = false;
    setSubmit(p.refusal === null ? p.credentials.length : 0);
    // On a small screen the preview starts below the file field: bring its first lines up.
    $('import-summary').scrollIntoView({ block: 'nearest' });
  }

  // ---- read, parse, preview ----------------------------------------------------------
  async function load(): Promise<void> {
    const gen = ++generation;
    drop();
    clearPreview();
    error(null);
    setSubmit(null);
    const format = selectedFormat();
    const file = chosen;
    if (format === null || file === null) return;
    const tooBig = sizeError(file.size, format, file.name);
    if (tooBig) return error(tooBig);
    $('import-summary').textContent = `Reading ${file.name}…`;
    $('import-preview').hidden = false;
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(await file.arrayBuffer());
    } catch {
      if (gen === generation) {
        clearPreview();
        error(`${file.name} could not be read. Choose it again.`);
      }
      return;
    }
    if (gen !== generation) return void bytes.fill(0);
    const decoded = decodeFile(bytes, file.name);
    bytes.fill(0);
    if (!decoded.ok) {
      clearPreview();
      return error(decoded.message);
    }
    const parsed = parseFile(format, decoded.text, file.name);
    if (!parsed.ok) {
      clearPreview();
      return error(parsed.message);
    }
    // The labels the vault has now: imported labels never clash with them.
    const list = await listAll();
    if (gen !== generation) return void scrubEntries(parsed.entries);
    if (!list.ok) {
      scrubEntries(parsed.entries);
      clearPreview();
      return error(`${why(list)} Nothing was imported.`);
    }
    const { plan, preview } = prepare(
      parsed.entries,
      list.result.credentials.map((c) => c.label),
      format,
      file.name,
    );
    // The preview is enough to show; the planned credentials (values) are not kept.
    scrubPlan(plan);
    entries = parsed.entries;
    loaded = { format, fileName: file.name, preview };
    renderPreview(preview);
  }

  function onFileChosen(): void {
    chosen = fileInput.files?.[0] ?? null;
    // The input lets go of the file; the same file can be chosen again.
    fileInput.value = '';
    $('import-file-name').textContent = chosen ? chosen.name : 'No file chosen';
    void load();
  }

  // ---- import --------------------------------------------------------------------------
  async function onSubmit(ev: SubmitEvent): Promise<void> {
    ev.preventDefault();
    if (busy || entries === null || loaded === null || loaded.preview.refusal !== null) return;
    busy = true;
    const gen = generation;
    const { format, fileName } = loaded;
    submit.disabled = true;
    submit.textContent = 'Importing…';
    error(null);
    try {
      // Labels again, right before sending: the vault may have changed since the preview.
      const list = await listAll();
      if (gen !== generation || entries === null) return;
      if (!list.ok) {
        error(`${why(list)} Nothing was imported.`);
        setSubmit(loaded?.preview.credentials.length ?? null);
        return;
      }
      const batch = finalBatch(
        entries,
        list.result.credentials.map((c) => c.label),
        format,
        fileName,
      );
      // From here the values live only in the batch: the file's entries go now.
      drop();
      chosen = null;
      if (!batch.ok) {
        showChoose();
        return error(batch.message);
      }
      const skipped = batch.plan.skipped.length;
      let r: DaemonAnswer<'add'>;
      try {
        r = await daemon('add', { credentials: batch.plan.credentials });
      } finally {
        scrubPlan(batch.plan);
      }
      if (!r.ok) {
        showChoose();
        return error(`Nothing was imported. ${why(r)} Choose the file again to retry.`);
      }
      showDone(r.result.added.length, skipped, fileName);
      await deps.refresh({ list: true });
    } finally {
      busy = false;
    }
  }

  /** Back to choosing a file (after a failure: the entries are gone). */
  function showChoose(): void {
    clearPreview();
    $('import-file-name').textContent = 'No file chosen';
    $('import-choose').hidden = false;
    $('import-done').hidden = true;
    $('import-cancel').textContent = 'Cancel';
    setSubmit(null);
  }

  function showDone(imported: number, skipped: number, fileName: string): void {
    clearPreview();
    $('import-choose').hidden = true;
    $('import-result').textContent = resultText(imported, skipped);
    $('import-reminder').textContent = deleteReminder(fileName);
    $('import-done').hidden = false;
    submit.hidden = true;
    $('import-cancel').textContent = 'Done';
    $('import-result').focus();
  }

  function reset(): void {
    generation++;
    drop();
    chosen = null;
    $<HTMLFormElement>('import-form').reset();
    fileInput.value = '';
    error(null);
    showChoose();
  }

  // ---- wiring ------------------------------------------------------------------------
  deps.wireDialog(dialog, () => {
    reset();
    if (lockedMeanwhile) {
      lockedMeanwhile = false;
      void deps.refresh();
    }
  });
  $('import-open').addEventListener('click', (e) => {
    reset();
    const first = dialog.querySelector<HTMLInputElement>('input[name=import-format]');
    deps.openDialog(dialog, e.currentTarget as HTMLElement, first ?? fileInput);
  });
  for (const r of dialog.querySelectorAll<HTMLInputElement>('input[name=import-format]')) r.addEventListener('change', () => void load());
  fileInput.addEventListener('change', onFileChosen);
  $<HTMLFormElement>('import-form').addEventListener('submit', (e) => void onSubmit(e));
}
