import { describe, expect, it } from 'vitest';
import { bundleFor } from './bundles.js';

describe('bundleFor', () => {
  it('sends the long-lived roles to their own bundles', () => {
    expect(bundleFor(['daemon'])).toBe('daemon');
    expect(bundleFor(['native-host', 'chrome-extension://cgmiligeknjljkoiajbjoapjihdgbodc/'])).toBe('host');
    expect(bundleFor(['mcp'])).toBe('mcp');
    expect(bundleFor(['guard', '--', 'npx', '@playwright/mcp'])).toBe('guard');
    expect(bundleFor(['redact'])).toBe('guard');
  });
  it('everything else, and every --help, goes to the CLI', () => {
    expect(bundleFor([])).toBe('cli');
    expect(bundleFor(['fill', 'github'])).toBe('cli');
    expect(bundleFor(['--version'])).toBe('cli');
    expect(bundleFor(['daemon', '--help'])).toBe('cli');
    expect(bundleFor(['daemon', 'restart'])).toBe('cli');
    expect(bundleFor(['daemon', 'stop'])).toBe('cli');
    expect(bundleFor(['daemon', 'reload'])).toBe('cli');
    expect(bundleFor(['mcp', '-h'])).toBe('cli');
    expect(bundleFor(['toString'])).toBe('cli');
    expect(bundleFor(['constructor'])).toBe('cli');
  });
  it('a --help after `--` belongs to the wrapped command', () => {
    expect(bundleFor(['guard', '--', 'cmd', '--help'])).toBe('guard');
  });
});
