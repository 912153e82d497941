import { describe, expect, it } from 'vitest';
import { codeReason, isScriptUrl, parseGuardArgv, ToolPolicy } from './tool-policy.js';

const str = { type: 'string' };
const tool = (name: string, properties: Record<string, unknown> = {}) => ({ name, inputSchema: { type: 'object', properties } });

describe('codeReason', () => {
  it('names the known code tools of Playwright MCP and chrome-devtools-mcp', () => {
    for (const n of ['browser_evaluate', 'browser_run_code', 'browser_run_code_unsafe', 'browser_route', 'browser_install', 'browser_find', 'evaluate_script']) expect(codeReason(tool(n)), n).not.toBeNull();
  });

  it('catches code tools by name', () => {
    for (const n of ['something_unsafe', 'page_run_code', 'js_evaluate', 'eval', 'exec_command', 'run_shell', 'bash', 'open_terminal', 'run_script', 'write_file', 'file_save', 'spawn_process']) expect(codeReason(tool(n)), n).not.toBeNull();
  });

  it('catches a tool whose input takes code, at any depth', () => {
    expect(codeReason(tool('navigate_page', { url: str, initScript: str }))).toContain('initScript');
    expect(codeReason(tool('do_it', { function: str }))).toContain('function');
    expect(codeReason(tool('batch', { steps: { type: 'array', items: { type: 'object', properties: { expression: str } } } }))).toContain('expression');
    // A property named like code that cannot hold a string is not code.
    expect(codeReason(tool('count', { code: { type: 'number' } }))).toBeNull();
  });

  it('offers the reading and acting tools of Playwright MCP', () => {
    const ok = [
      tool('browser_navigate', { url: str }),
      tool('browser_snapshot', { target: str, filename: str, depth: { type: 'number' } }),
      tool('browser_click', { element: str, target: str, doubleClick: { type: 'boolean' } }),
      tool('browser_type', { element: str, target: str, text: str, submit: { type: 'boolean' } }),
      tool('browser_fill_form', { fields: { type: 'array', items: { type: 'object', properties: { name: str, type: str, target: str, value: str } } } }),
      tool('browser_take_screenshot', { type: str, filename: str }),
      tool('browser_wait_for', { text: str, textGone: str }),
      tool('browser_file_upload', { paths: { type: 'array', items: str } }),
      tool('browser_tabs', { action: str, url: str }),
      tool('browser_network_requests', { filter: str }),
    ];
    for (const t of ok) expect(codeReason(t), t.name).toBeNull();
  });
});

describe('ToolPolicy', () => {
  const work = '/run/user/1000/blindfill/guard-1-abc';

  it('leaves code tools out of the list unless allowed, and refuses calls of them', () => {
    const p = new ToolPolicy(new Set(['browser_run_code_unsafe']), work);
    const listed = p.offer([tool('browser_navigate', { url: str }), tool('browser_evaluate', { function: str }), tool('browser_run_code_unsafe', { code: str }), tool('odd', { script: str })]);
    expect(listed.map((t) => t.name)).toEqual(['browser_navigate', 'browser_run_code_unsafe']);
    expect(p.refusal('browser_evaluate', { function: '() => 1' })).toMatch(/withheld.*--allow-tool browser_evaluate/);
    expect(p.refusal('odd', {})).toMatch(/"script" takes code/);
    expect(p.refusal('browser_run_code_unsafe', { code: 'x' })).toBeNull();
    expect(p.refusal('browser_navigate', { url: 'https://a.test/' })).toBeNull();
  });

  it('refuses a never-listed name that says code', () => {
    const p = new ToolPolicy(new Set(), work);
    expect(p.knows('browser_run_code')).toBe(false);
    expect(p.refusal('browser_run_code', {})).not.toBeNull();
  });

  it('refuses javascript: URLs, however written', () => {
    const p = new ToolPolicy(new Set(), work);
    for (const u of ['javascript:alert(1)', ' JavaScript:x', '\u0001java\tscript:x', 'JAVASCRIPT:void 0']) expect(p.refusal('browser_navigate', { url: u }), u).toMatch(/javascript: URL/);
    expect(p.refusal('browser_tabs', { action: 'new', url: 'javascript:x' })).not.toBeNull();
    expect(p.refusal('browser_type', { text: 'javascript:x' })).toBeNull();
    expect(isScriptUrl('https://javascript.example/')).toBe(false);
  });

  it('keeps file arguments inside the work directory', () => {
    const p = new ToolPolicy(new Set(), work);
    expect(p.refusal('browser_snapshot', { filename: 'snap.yml' })).toBeNull();
    expect(p.refusal('browser_snapshot', { filename: `${work}/out/snap.yml` })).toBeNull();
    expect(p.refusal('browser_snapshot', { filename: '../snap.yml' })).toMatch(/inside the guard's work directory/);
    expect(p.refusal('take_snapshot', { filePath: '/home/agent/snap.txt' })).not.toBeNull();
    expect(p.refusal('browser_file_upload', { paths: [`${work}/a.txt`, '/etc/passwd'] })).not.toBeNull();
    // A cookie's path is not a file.
    expect(p.refusal('browser_cookie_list', { path: '/' })).toBeNull();
  });
});

describe('parseGuardArgv', () => {
  it('reads --allow-tool before the command', () => {
    expect(parseGuardArgv(['--allow-tool', 'a', '--allow-tool=b', '--', 'npx', '--allow-tool', 'c'])).toEqual({ ok: true, allow: ['a', 'b'], command: 'npx', args: ['--allow-tool', 'c'] });
    expect(parseGuardArgv(['--', 'cmd'])).toEqual({ ok: true, allow: [], command: 'cmd', args: [] });
    expect(parseGuardArgv(['cmd', 'x'])).toEqual({ ok: true, allow: [], command: 'cmd', args: ['x'] });
  });

  it('refuses a missing name, an unknown option, no command', () => {
    expect(parseGuardArgv(['--allow-tool'])).toMatchObject({ ok: false });
    expect(parseGuardArgv(['--nope', '--', 'x'])).toMatchObject({ ok: false });
    expect(parseGuardArgv(['--allow-tool', 'a', '--'])).toMatchObject({ ok: false });
  });
});
