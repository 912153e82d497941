/**
 * The docs say what the code has: every daemon op and error code is documented, every
 * documented one exists, and every repository path the docs cite is there.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../shared/errors.js';
import { Requests } from '../shared/ipc.js';

const root = path.resolve(import.meta.dirname, '..');
const read = (f: string) => fs.readFileSync(path.join(root, f), 'utf8');

describe('docs match the code', () => {
  it('every daemon op is in docs/PROTOCOL.md, and every op its list names exists', () => {
    const protocol = read('docs/PROTOCOL.md');
    const ops = Object.keys(Requests);
    for (const op of ops) expect(protocol, `op ${op}`).toContain(`\`${op}\``);
    // The op names of the "Ops:" list: its first sentence, outside its parenthesised notes.
    const start = protocol.indexOf('Ops: ');
    const para = protocol.slice(start, protocol.indexOf('\n\n', start));
    let depth = 0;
    let top = '';
    for (const ch of para) {
      if (ch === '(') depth++;
      else if (ch === ')') depth--;
      else if (depth === 0) top += ch;
    }
    const named = [...top.slice(0, top.indexOf('. ') >= 0 ? top.indexOf('. ') : undefined).matchAll(/`([a-z_]+)`/g)].map((m) => m[1]!);
    expect(named.length).toBeGreaterThan(5);
    for (const op of named) expect(ops, `PROTOCOL.md names op ${op}`).toContain(op);
  });

  it('every error code has a row in docs/ERRORS.md, and every row names a code that exists', () => {
    const rows = [...read('docs/ERRORS.md').matchAll(/^\| `([A-Z][A-Z0-9_]+)` \|/gm)].map((m) => m[1]!);
    for (const code of ERROR_CODES) expect(rows, `code ${code}`).toContain(code);
    for (const code of rows) expect(ERROR_CODES as readonly string[], `ERRORS.md row ${code}`).toContain(code);
  });

  it('every repository path the docs cite exists', () => {
    const docs = ['README.md', 'THREAT_MODEL.md', ...fs.readdirSync(path.join(root, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
    const missing: string[] = [];
    for (const d of docs) {
      for (const m of read(d).matchAll(/`((?:native-host|extension|shared|e2e|scripts|bench|docs)\/[\w./-]+\.(?:ts|mjs|md))`/g)) {
        if (!fs.existsSync(path.join(root, m[1]!))) missing.push(`${d}: ${m[1]}`);
      }
    }
    expect(missing).toEqual([]);
  });
});
