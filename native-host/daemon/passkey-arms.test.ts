import { expect, it } from 'vitest';
import { type Arm, PasskeyArms } from './passkey-arms.js';

const arm = (over: Partial<Arm> = {}): Arm => ({ label: 'a', kind: 'get', browserPid: 10, tabId: 1, origin: 'https://example.com', expiresAt: 1_000, verified: false, ...over });

it('an arm is taken once, only by its browser, tab and kind, and not after it expires', () => {
  const arms = new PasskeyArms();
  arms.arm(arm());
  expect(arms.take(11, 1, 'get', 0)).toMatchObject({ ok: false, code: 'PASSKEY_NOT_ARMED' });
  expect(arms.take(10, 2, 'get', 0)).toMatchObject({ ok: false, code: 'PASSKEY_NOT_ARMED' });
  expect(arms.take(10, 1, 'create', 0)).toMatchObject({ ok: false, code: 'PASSKEY_NOT_ARMED' });
  expect(arms.take(10, 1, 'get', 0)).toMatchObject({ label: 'a' });
  const again = arms.take(10, 1, 'get', 0);
  expect(again).toMatchObject({ ok: false, code: 'PASSKEY_NOT_ARMED' });
  expect('message' in again && again.message).toMatch(/already used/);
  arms.arm(arm());
  const late = arms.take(10, 1, 'get', 1_001);
  expect('message' in late && late.message).toMatch(/expired/);
});
