/**
 * `blindfill mcp-config --client claude-code|claude-desktop|cursor`: the exact snippet to
 * paste, with absolute paths (an MCP client started from a desktop has no PATH or nvm):
 * this node, this program, and BLINDFILL_HOME when it is set. stdout holds only the
 * snippet (JSON where the client takes JSON); where to paste it goes to stderr.
 */
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { CliContext } from '../context.js';
import { die } from '../io.js';

const CLIENTS = ['claude-code', 'claude-desktop', 'cursor'] as const;
type Client = (typeof CLIENTS)[number];

function shQuote(s: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

function claudeDesktopConfigPath(): string {
  if (process.platform === 'darwin') return path.join(os.homedir(), 'Library', 'Application Support', 'Claude', 'claude_desktop_config.json');
  if (process.platform === 'win32') return path.join(process.env.APPDATA ?? path.join(os.homedir(), 'AppData', 'Roaming'), 'Claude', 'claude_desktop_config.json');
  return path.join(process.env.XDG_CONFIG_HOME || path.join(os.homedir(), '.config'), 'Claude', 'claude_desktop_config.json');
}

export async function mcpConfigCmd(ctx: CliContext, argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { client: { type: 'string' } }, strict: true });
  const client = values.client as Client | undefined;
  if (client === undefined || !CLIENTS.includes(client)) die({ code: 'INVALID_REQUEST', message: `--client must be one of ${CLIENTS.join(', ')}` });
  const node = process.execPath;
  const program = path.resolve(ctx.selfCommand[ctx.selfCommand.length - 1] ?? '');
  const home = process.env.BLINDFILL_HOME ? ctx.paths.home : undefined;
  const server = { command: node, args: [program, 'mcp'], ...(home !== undefined ? { env: { BLINDFILL_HOME: home } } : {}) };

  if (client === 'claude-code') {
    const env = home !== undefined ? ` -e BLINDFILL_HOME=${shQuote(home)}` : '';
    ctx.out(`claude mcp add blindfill --scope user${env} -- ${shQuote(node)} ${shQuote(program)} mcp`);
    process.stderr.write('run this in a terminal; `claude mcp list` then shows blindfill\n');
    return;
  }
  ctx.out(JSON.stringify({ mcpServers: { blindfill: server } }, null, 2));
  const where = client === 'cursor' ? path.join(os.homedir(), '.cursor', 'mcp.json') : claudeDesktopConfigPath();
  process.stderr.write(`merge this into ${where} (under "mcpServers"), then restart ${client === 'cursor' ? 'Cursor' : 'Claude Desktop'}\n`);
}
