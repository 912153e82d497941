import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateForSite, parsePasswordRules, planPassword } from './password-rules.js';

const gen = (hints: Parameters<typeof generateForSite>[0], opts: Parameters<typeof generateForSite>[1] = {}) => {
  const r = generateForSite(hints, opts, randomBytes);
  if (!r.ok) return r;
  const s = r.value.toString('latin1');
  r.value.fill(0);
  return { ok: true as const, s };
};

describe('passwordrules parsing (Apple syntax)', () => {
  it('reads required, allowed, max-consecutive, minlength, maxlength', () => {
    const r = parsePasswordRules("required: lower; required: upper; required: digit; required: [-().&@?'#,/\"+]; allowed: ascii-printable; max-consecutive: 2; minlength: 20; maxlength: 30;");
    expect(r.required).toHaveLength(4);
    expect(r.required[3]).toBe("-().&@?'#,/\"+");
    expect(r.maxConsecutive).toBe(2);
    expect(r.minlength).toBe(20);
    expect(r.maxlength).toBe(30);
    expect(r.allowed).toContain('a');
  });
  it('reads a union in one required rule and ignores unknown rules', () => {
    const r = parsePasswordRules('required: upper, lower; frobnicate: 3; allowed: digit, [_]');
    expect(r.required).toHaveLength(1);
    expect(r.required[0]).toMatch(/[a-z]/);
    expect(r.required[0]).toMatch(/[A-Z]/);
    expect(r.allowed).toContain('_');
    expect(r.allowed).toMatch(/[2-9]/);
  });
});

describe('generator', () => {
  it('by default: 24 characters with every class', () => {
    for (let i = 0; i < 50; i++) {
      const r = gen({});
      expect(r.ok).toBe(true);
      if (!r.ok) return;
      expect(r.s).toHaveLength(24);
      expect(r.s).toMatch(/[a-z]/);
      expect(r.s).toMatch(/[A-Z]/);
      expect(r.s).toMatch(/[0-9]/);
      expect(r.s).toMatch(/[^a-zA-Z0-9]/);
    }
  });
  it('honours the call: length and classes', () => {
    const r = gen({}, { length: 40, classes: ['lower', 'digit'] });
    expect(r.ok && r.s).toMatch(/^[a-z0-9]{40}$/);
    if (r.ok) {
      expect(r.s).toMatch(/[a-z]/);
      expect(r.s).toMatch(/[0-9]/);
    }
  });
  it('honours the site: passwordrules sets, lengths and max-consecutive', () => {
    for (let i = 0; i < 50; i++) {
      const r = gen({ passwordrules: 'required: lower; required: digit; required: [!]; max-consecutive: 1; maxlength: 12;', minlength: 10 });
      expect(r.ok).toBe(true);
      if (!r.ok) return;
      expect(r.s.length).toBeGreaterThanOrEqual(10);
      expect(r.s.length).toBeLessThanOrEqual(12);
      expect(r.s).toMatch(/^[a-z0-9!]+$/);
      expect(r.s).toMatch(/!/);
      expect(r.s).toMatch(/[0-9]/);
      expect(/(.)\1/.test(r.s)).toBe(false);
    }
  });
  it('honours maxlength below the default length', () => {
    const r = gen({ maxlength: 16 });
    expect(r.ok && r.s.length).toBe(16);
  });
  it('meets a pattern that allows only some classes', () => {
    const r = gen({ pattern: '[0-9]{12}' });
    expect(r.ok && r.s).toMatch(/^[0-9]{12}$/);
    const s = gen({ pattern: '[A-Za-z0-9]{8,20}' });
    expect(s.ok && s.s).toMatch(/^[A-Za-z0-9]{8,20}$/);
  });
  it('refuses what cannot be met, with a clear code', () => {
    expect(planPassword({ maxlength: 6 })).toMatchObject({ ok: false, code: 'PASSWORD_RULES_UNSATISFIABLE' });
    expect(planPassword({ minlength: 30, maxlength: 20 })).toMatchObject({ ok: false, code: 'PASSWORD_RULES_UNSATISFIABLE' });
    expect(planPassword({ passwordrules: 'required: special' }, { classes: ['lower'] })).toMatchObject({ ok: false, code: 'PASSWORD_RULES_UNSATISFIABLE' });
    expect(planPassword({}, { length: 200 })).toMatchObject({ ok: false, code: 'PASSWORD_RULES_UNSATISFIABLE' });
    expect(gen({ pattern: 'x{30}' })).toMatchObject({ ok: false, code: 'PASSWORD_RULES_UNSATISFIABLE' });
  });
  it('a pattern the linear engine refuses is left to the site', () => {
    const r = gen({ pattern: '(?=.*\\d).{8,}' });
    expect(r.ok).toBe(true);
  });
});
