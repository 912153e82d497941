import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { HELP } from '../../native-host/cli/help.js';
import { keychainCommand } from './cli-hint.js';

/** `blindfill CMD …` → the help of CMD, which must take every --option shown. */
function mustExist(command: string): void {
  const [prog, name, ...rest] = command.split(/\s+/);
  expect(prog).toBe('blindfill');
  const help = HELP[name!];
  expect(help, `blindfill ${name} is not a command`).toBeDefined();
  for (const opt of rest.filter((w) => w.startsWith('--') && w !== '--help')) expect(help, `blindfill ${name} has no ${opt}`).toContain(opt);
}

describe('commands the settings page names', () => {
  it('the keychain-mode explanation names a command that exists, with the label', () => {
    expect(keychainCommand('github-personal')).toBe('blindfill edit github-personal --json-stdin');
    mustExist(keychainCommand('github-personal'));
  });

  it('every `blindfill …` in options.html is a command that exists', () => {
    const html = fs.readFileSync(path.join(__dirname, 'options.html'), 'utf8');
    const shown = [...html.matchAll(/<code[^>]*>(blindfill [^<]*)<\/code>/g)].map((m) => m[1]!.replace(/&lt;|&gt;/g, ''));
    expect(shown.length).toBeGreaterThan(0);
    for (const c of shown) mustExist(c);
  });
});
