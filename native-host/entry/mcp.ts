/** Bundle `mcp` (dist/lib/mcp.cjs): `blindfill mcp`, the agent's MCP server on stdio. */
import { runMcp } from '../mcp/server.js';
import { resolvePaths } from '../paths.js';
import type { BundleMain } from './types.js';

export const main: BundleMain = async (argv, self) => {
  // `blindfill mcp --socket PATH`: an agent user reaching the owner's daemon through its agent socket.
  const at = argv.indexOf('--socket');
  const given = at >= 0 ? argv[at + 1] : undefined;
  if (given?.startsWith('/')) process.env.BLINDFILL_SOCKET = given;
  const code = await runMcp({ paths: resolvePaths(process.env), selfCommand: self });
  process.exit(code);
};
