import { defineConfig } from 'vitest/config';

/**
 * Two projects: fast unit tests (pure core, fakes allowed) and end-to-end tests that use
 * real processes (built CLI, daemon, native host, Chromium, Xvfb, gnome-keyring).
 * e2e files run one at a time: they share two cores with real browsers.
 */
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['shared/**/*.test.ts', 'native-host/**/*.test.ts', 'extension/**/*.test.ts', 'scripts/**/*.test.ts'],
          environment: 'node',
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['e2e/**/*.test.ts'],
          // Watches the whole run: no blindfill process may hold a TCP/UDP socket.
          globalSetup: ['e2e/global/socket-monitor.ts'],
          environment: 'node',
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
