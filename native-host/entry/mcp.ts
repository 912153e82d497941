/** Bundle `mcp` (dist/lib/mcp.cjs): `blindfill mcp`, the agent's MCP server on stdio. */
import { runMcp } from '../mcp/server.js';
import { resolvePaths } from '../paths.js';
import type { BundleMain } from './types.js';

export const main: BundleMain = async (_argv, self) => {
  const code = await runMcp({ paths: resolvePaths(process.env), selfCommand: self });
  process.exit(code);
};
