/**
 * Who may see usernames (`list` with `usernames: true`): the person who owns the vault, at
 * their terminal or in the settings page, and nothing that serves an agent.
 *
 * - agent-socket connections: never (CONTRACT §6: label operations only);
 * - a connection that says it is the MCP server: never (the envelope's `caller` is only a
 *   label, but our own MCP server never asks, so this only catches misuse);
 * - an owner connection whose process, or one of its ancestors, is `blindfill mcp` or
 *   `blindfill guard` (read from the kernel and /proc, not from the message): an agent's
 *   tools and the shells it starts under the guard cannot list usernames;
 * - a verified browser (the settings page) and any other owner connection: yes.
 *
 * When the peer's process cannot be read (no python3 for SO_PEERCRED), the main socket's
 * 0700 directory still limits it to the owner's uid; an agent running as that uid outside
 * the guard is the owner as far as the kernel can tell (THREAT_MODEL.md, same OS user).
 */
import { ancestry } from '../peer/proc.js';
import { isBlindfillCommand } from '../peer/verify-browser.js';
import type { CallMeta } from './context.js';

const AGENT_SERVING = ['mcp', 'guard'] as const;

/** Why this connection may not see usernames, or null when it may. */
export async function usernamesRefusal(meta: CallMeta): Promise<string | null> {
  const { peer } = meta;
  if (peer.role === 'agent') return 'usernames are not available to an agent';
  if (peer.role === 'browser') return null;
  if (meta.caller === 'mcp') return 'usernames are not available to the MCP server';
  const cred = await peer.credentials();
  if (cred === null) return null;
  const chain = ancestry(cred.pid);
  if (chain.some((p) => AGENT_SERVING.some((cmd) => isBlindfillCommand(p, cmd)))) {
    return 'usernames are not available under `blindfill mcp` or `blindfill guard`';
  }
  return null;
}
