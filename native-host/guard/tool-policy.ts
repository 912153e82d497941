/**
 * Which of the child's tools the guard offers, and which calls it refuses. Pure.
 *
 * A tool that runs code beyond reading the page is withheld unless the owner names it
 * (`--allow-tool NAME`): with such a tool the agent reads a filled field and transforms it
 * (reverses it, splits it) into a form no scrubber knows, or runs anything at all. A tool
 * is such a tool when it is on the known list, when its name says so, or when its input
 * schema takes code (a `function`, `code`, `script`, `expression`… string).
 *
 * Arguments of offered tools are checked too: a `javascript:` URL runs code in the page,
 * and a file argument must stay inside the guard's work directory (which the guard scrubs
 * and removes), so the child neither writes a page's text nor reads a file elsewhere.
 */
import path from 'node:path';

/** The child tools known to run code, and what offering each one gives up. */
export const CODE_TOOLS: Readonly<Record<string, string>> = {
  // Playwright MCP (@playwright/mcp 0.0.83)
  browser_evaluate: 'runs the agent\'s JavaScript in the page: it reads a filled password field and can reverse or split it past the scrubber',
  browser_run_code: 'runs the agent\'s Playwright code in the server process: any page, any file, any program',
  browser_run_code_unsafe: 'runs the agent\'s Playwright code in the server process: any page, any file, any program',
  browser_route: 'serves a response of the agent\'s choosing for any URL: its own script on the login page reads the filled password',
  browser_install: 'downloads and runs a browser build',
  // Not code, but a query over the page snapshot, which holds a filled field's value: each
  // answer says whether a guessed prefix is there, so a password falls one character at a time.
  browser_find: 'searches the page snapshot, filled password included, for the agent\'s text or regex: guessed prefixes reveal the password one character at a time',
  // chrome-devtools-mcp
  evaluate_script: 'runs the agent\'s JavaScript in the page: it reads a filled password field and can reverse or split it past the scrubber',
};

/** Names that say "runs code" (or writes files, or runs programs). */
const CODE_NAME = [
  /unsafe/i,
  /run_?code/i,
  /evaluat/i,
  /(^|[_-])eval($|[_-])/i,
  /exec/i,
  /shell/i,
  /bash/i,
  /terminal/i,
  /command/i,
  /script/i,
  /spawn/i,
  /(write|save|create|edit|append|put)_?file/i,
  /file_?(write|save|create|edit|append|put)/i,
  /install/i,
];

/** Input properties that carry code. */
const CODE_PROPERTY = /^(function|fn|code|script|expression|javascript|js|source|eval|snippet|program|cmd|command|shell|initscript|.*script)$/i;

export interface ToolLike {
  name: string;
  inputSchema?: unknown;
}

/** Why `tool` runs code beyond reading the page, or null when it does not. */
export function codeReason(tool: ToolLike): string | null {
  const known = Object.hasOwn(CODE_TOOLS, tool.name) ? CODE_TOOLS[tool.name] : undefined;
  if (known !== undefined) return known;
  if (CODE_NAME.some((re) => re.test(tool.name))) return 'its name says it runs code, a program or writes files';
  const prop = codeProperty(tool.inputSchema, 0);
  if (prop !== null) return `its input "${prop}" takes code`;
  return null;
}

/** The first string property (at any depth of `properties`/`items`) whose name says code. */
function codeProperty(schema: unknown, depth: number): string | null {
  if (depth > 6 || schema === null || typeof schema !== 'object') return null;
  const s = schema as { properties?: unknown; items?: unknown; anyOf?: unknown; oneOf?: unknown; allOf?: unknown };
  if (s.properties && typeof s.properties === 'object') {
    for (const [key, sub] of Object.entries(s.properties as Record<string, unknown>)) {
      if (CODE_PROPERTY.test(key) && takesString(sub)) return key;
      const deeper = codeProperty(sub, depth + 1);
      if (deeper !== null) return deeper;
    }
  }
  for (const k of ['items', 'anyOf', 'oneOf', 'allOf'] as const) {
    const v = s[k];
    for (const sub of Array.isArray(v) ? v : v === undefined ? [] : [v]) {
      const deeper = codeProperty(sub, depth + 1);
      if (deeper !== null) return deeper;
    }
  }
  return null;
}

function takesString(schema: unknown): boolean {
  if (schema === null || typeof schema !== 'object') return true; // unknown: assume it could
  const t = (schema as { type?: unknown }).type;
  if (t === undefined) return true;
  return t === 'string' || (Array.isArray(t) && t.includes('string'));
}

export class ToolPolicy {
  /** Names seen in the child's listings and the reason each is withheld (or null). */
  private readonly seen = new Map<string, string | null>();

  constructor(
    readonly allowed: ReadonlySet<string>,
    /** The guard's work directory: file arguments must stay inside it. */
    readonly workDir: string,
  ) {}

  /** Record a listing; answer the tools to offer. */
  offer<T extends ToolLike>(tools: readonly T[]): T[] {
    return tools.filter((t) => {
      const why = codeReason(t);
      this.seen.set(t.name, why);
      return why === null || this.allowed.has(t.name);
    });
  }

  /** Has `name` been in a listing? */
  knows(name: string): boolean {
    return this.seen.has(name);
  }

  /** Null when the call may go to the child, else why it is refused. */
  refusal(name: string, args: unknown): string | null {
    if (this.allowed.has(name)) return null;
    const why = this.seen.has(name) ? this.seen.get(name)! : codeReason({ name });
    if (why !== null) return `the tool "${name}" is withheld by blindfill guard: ${why} (the owner may offer it with --allow-tool ${name})`;
    return argumentRefusal(name, args, this.workDir);
  }
}

const URL_KEY = /^(url|uri|href|link|target_?url)s?$/i;
const FILE_KEY = /^(file_?names?|file_?paths?|paths|files?|output_?(dir|dir_?path|path|file)|save_?path|dir_?path|directory)$/i;

/** A `javascript:` URL (browsers ignore leading whitespace and controls, and tabs/newlines inside the scheme). */
export function isScriptUrl(s: string): boolean {
  // eslint-disable-next-line no-control-regex
  const scheme = s.replace(/^[\u0000-\u0020]+/, '').replace(/[\t\n\r]/g, '').slice(0, 11).toLowerCase();
  return scheme === 'javascript:';
}

function argumentRefusal(name: string, args: unknown, workDir: string): string | null {
  let out: string | null = null;
  const visit = (v: unknown, key: string | null, depth: number): void => {
    if (out !== null || depth > 8) return;
    if (typeof v === 'string' && key !== null) {
      if (URL_KEY.test(key) && isScriptUrl(v)) out = `"${name}" was refused by blindfill guard: a javascript: URL runs code in the page`;
      else if (FILE_KEY.test(key) && !inside(workDir, v)) out = `"${name}" was refused by blindfill guard: "${key}" must name a file inside the guard's work directory (${workDir}); relative names are resolved there`;
      return;
    }
    if (Array.isArray(v)) for (const x of v) visit(x, key, depth + 1);
    else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) visit(x, k, depth + 1);
  };
  visit(args, null, 0);
  return out;
}

function inside(dir: string, p: string): boolean {
  const rel = path.relative(dir, path.resolve(dir, p));
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** `[--allow-tool NAME]… [--] CMD [ARGS…]`. */
export function parseGuardArgv(argv: readonly string[]): { ok: true; allow: string[]; command: string; args: string[] } | { ok: false; message: string } {
  const allow: string[] = [];
  let i = 0;
  for (; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      i++;
      break;
    }
    if (a === '--allow-tool') {
      const n = argv[++i];
      if (n === undefined || n === '') return { ok: false, message: '--allow-tool needs a tool name' };
      allow.push(n);
    } else if (a.startsWith('--allow-tool=')) {
      const n = a.slice('--allow-tool='.length);
      if (n === '') return { ok: false, message: '--allow-tool needs a tool name' };
      allow.push(n);
    } else if (a.startsWith('-')) return { ok: false, message: `unknown option ${a}` };
    else break;
  }
  const [command, ...args] = argv.slice(i);
  if (command === undefined) return { ok: false, message: 'no command given' };
  return { ok: true, allow, command, args };
}
