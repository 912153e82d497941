import { describe, expect, it } from 'vitest';
import { cleanEnv, keptEnvName, scrubOwnEnv, splitNodeOptions, unsafeRuntime } from './runtime.js';

describe('unsafeRuntime', () => {
  it.each([
    [['--inspect'], undefined],
    [['--inspect=0.0.0.0:9229'], undefined],
    [['--inspect-brk'], undefined],
    [['--inspect_brk=0'], undefined],
    [['--inspect-port=0'], undefined],
    [['-r', '/tmp/x.js'], undefined],
    [['--require=/tmp/x.js'], undefined],
    [['--import', 'data:text/javascript,0'], undefined],
    [['--experimental-loader', './l.mjs'], undefined],
    [['--heapsnapshot-signal=SIGUSR2'], undefined],
    [[], '--inspect'],
    [[], '--max-old-space-size=100 --require /tmp/x.js'],
    [[], '-r /tmp/x.js'],
    [[], '"--require" "/tmp/a b.js"'],
    [[], '  --loader=./x.mjs'],
    [[], '--inspect_publish_uid=http'],
  ])('refuses execArgv %j / NODE_OPTIONS %j', (argv, opts) => {
    expect(unsafeRuntime(argv, opts, undefined)).toMatch(/carries --?[a-z]/);
  });

  it('refuses an open inspector, however it was opened', () => {
    expect(unsafeRuntime([], undefined, 'ws://127.0.0.1:9229/x')).toMatch(/inspector is open/);
  });

  it.each([
    [[], undefined],
    [['--max-semi-space-size=1'], ''],
    [[], '--max-old-space-size=4096 --no-warnings'],
    [[], '--title=--require'],
    [['--enable-source-maps'], '--dns-result-order=ipv4first'],
  ])('accepts execArgv %j / NODE_OPTIONS %j', (argv, opts) => {
    expect(unsafeRuntime(argv, opts, undefined)).toBeNull();
  });

  it('splits NODE_OPTIONS like Node: whitespace, double quotes, escapes inside them', () => {
    expect(splitNodeOptions(' -r  "/a b/x.js" --x="y\\"z" ')).toEqual(['-r', '/a b/x.js', '--x=y"z']);
    expect(splitNodeOptions('')).toEqual([]);
  });
});

describe('the environment kept for the daemon and the host', () => {
  const env = {
    PATH: '/usr/bin',
    HOME: '/home/me',
    BLINDFILL_HOME: '/h',
    BLINDFILL_RATE_PER_MINUTE: '5',
    DISPLAY: ':1',
    XAUTHORITY: '/x',
    DBUS_SESSION_BUS_ADDRESS: 'unix:path=/b',
    XDG_RUNTIME_DIR: '/run/user/1',
    LC_ALL: 'C',
    NODE_OPTIONS: '--inspect',
    NODE_PATH: '/evil',
    LD_PRELOAD: '/evil.so',
    AWS_SECRET_ACCESS_KEY: 'x',
  };

  it('keeps what typing, dialogs, the keychain and the test seams need; drops the rest', () => {
    expect(Object.keys(cleanEnv(env, 'linux')).sort()).toEqual(
      ['BLINDFILL_HOME', 'BLINDFILL_RATE_PER_MINUTE', 'DBUS_SESSION_BUS_ADDRESS', 'DISPLAY', 'HOME', 'LC_ALL', 'PATH', 'XAUTHORITY', 'XDG_RUNTIME_DIR'].sort(),
    );
  });

  it('compares names case-insensitively on Windows only', () => {
    expect(keptEnvName('SystemRoot', 'win32')).toBe(true);
    expect(keptEnvName('Path', 'win32')).toBe(true);
    expect(keptEnvName('Path', 'linux')).toBe(false);
    expect(keptEnvName('NODE_OPTIONS', 'win32')).toBe(false);
  });

  it('scrubOwnEnv deletes in place', () => {
    const e: NodeJS.ProcessEnv = { ...env };
    scrubOwnEnv(e, 'linux');
    expect(e).toEqual(cleanEnv(env, 'linux'));
  });
});
