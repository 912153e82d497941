/**
 * Issue #10: an agent (the MCP SDK's Client over stdio, spawning the built `blindfill mcp`)
 * logs in through real Firefox (firefox-esr, headless, WebDriver BiDi) with only the MCP
 * tools plus navigation and clicks. Each site confirms the login server-side, and the
 * whole JSON-RPC transcript holds no secret in any form, nor any valid one-time code.
 * What runs alike in Chromium (e2e/mcp/mcp-login.test.ts) is in e2e/mcp/mcp-scenarios.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addCredentials } from '../harness/browser-stack.js';
import { type McpSession, startMcp } from '../mcp/mcp-client.js';
import { defineMcpLogins, defineMcpRefusals, expectCleanTranscript, mcpAccount, mcpCredentials, type McpEngine } from '../mcp/mcp-scenarios.js';
import { type FirefoxStack, startFirefoxStack, waitForText } from './setup.js';

let s: FirefoxStack;
let agent: McpSession;
const account = mcpAccount();

beforeAll(async () => {
  s = await startFirefoxStack();
  await addCredentials(s.home, mcpCredentials(s.server, account));
  agent = await startMcp(s.home.env);
});
afterAll(async () => {
  await agent?.close();
  await s?.close();
});

const firefox: McpEngine = {
  stack: () => s,
  agent: () => agent,
  welcomeShown: () => waitForText(s.page, 'Welcome'),
  clickNext: async (to) => {
    await Promise.all([s.page.waitForNavigation(), s.page.click('button[type=submit]')]);
    expect(s.page.url()).toMatch(to);
  },
  navigation: (to) => {
    const nav = s.page.waitForNavigation();
    return async () => {
      await nav;
      expect(s.page.url()).toMatch(to);
    };
  },
};

describe('an agent logs in through MCP, in Firefox', () => {
  defineMcpLogins(firefox, account);
});

describe('refusals through MCP, nothing filled', () => {
  defineMcpRefusals(firefox);
});

describe('the transcript', () => {
  it('holds no secret in any encoding and no valid one-time code', () => {
    expect(agent.transcript.length).toBeGreaterThan(10);
    expectCleanTranscript(agent, account);
  });
});
