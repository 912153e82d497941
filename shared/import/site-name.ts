/**
 * Readable words for labels: the site's name from an origin (the registrable domain without
 * its public suffix: `accounts.google.com` → `google`), IDN hosts decoded from punycode
 * (RFC 3492) and written in label characters (`xn--bcher-kva.de` → `bucher`,
 * Cyrillic and Greek transliterated), and the words of a title. Pure: runs in the CLI and
 * in the settings page (no node:url, no Buffer).
 */
import { parse } from 'tldts';

const BASE = 36;
const TMIN = 1;
const TMAX = 26;
const SKEW = 38;
const DAMP = 700;

function adapt(delta: number, numPoints: number, first: boolean): number {
  delta = first ? Math.floor(delta / DAMP) : delta >> 1;
  delta += Math.floor(delta / numPoints);
  let k = 0;
  while (delta > ((BASE - TMIN) * TMAX) >> 1) {
    delta = Math.floor(delta / (BASE - TMIN));
    k += BASE;
  }
  return k + Math.floor(((BASE - TMIN + 1) * delta) / (delta + SKEW));
}

function digit(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 22; // 0-9 → 26-35
  if (c >= 0x41 && c <= 0x5a) return c - 0x41;
  if (c >= 0x61 && c <= 0x7a) return c - 0x61;
  return BASE;
}

/** One punycode label (without `xn--`) to Unicode, or null when malformed. */
export function punycodeDecode(input: string): string | null {
  const out: number[] = [];
  const delim = input.lastIndexOf('-');
  for (let j = 0; j < Math.max(delim, 0); j++) {
    const c = input.charCodeAt(j);
    if (c >= 0x80) return null;
    out.push(c);
  }
  let n = 128;
  let bias = 72;
  let i = 0;
  for (let idx = delim > 0 ? delim + 1 : 0; idx < input.length; ) {
    const oldi = i;
    for (let w = 1, k = BASE; ; k += BASE) {
      if (idx >= input.length) return null;
      const d = digit(input.charCodeAt(idx++));
      if (d >= BASE) return null;
      i += d * w;
      if (i > 0x10ffff * 4) return null;
      const t = k <= bias ? TMIN : k >= bias + TMAX ? TMAX : k - bias;
      if (d < t) break;
      w *= BASE - t;
    }
    bias = adapt(i - oldi, out.length + 1, oldi === 0);
    n += Math.floor(i / (out.length + 1));
    i %= out.length + 1;
    if (n > 0x10ffff) return null;
    out.splice(i++, 0, n);
  }
  return String.fromCodePoint(...out);
}

/** A host label in Unicode (`xn--…` decoded; others as they are). */
export function unicodeLabel(label: string): string {
  if (!/^xn--/i.test(label)) return label;
  return punycodeDecode(label.slice(4).toLowerCase()) ?? label;
}

const TRANSLIT: Record<string, string> = {
  ß: 'ss', æ: 'ae', œ: 'oe', ø: 'o', ł: 'l', đ: 'd', ð: 'd', þ: 'th', ı: 'i',
  а: 'a', б: 'b', в: 'v', г: 'g', д: 'd', е: 'e', ё: 'e', ж: 'zh', з: 'z', и: 'i', й: 'y', к: 'k', л: 'l',
  м: 'm', н: 'n', о: 'o', п: 'p', р: 'r', с: 's', т: 't', у: 'u', ф: 'f', х: 'kh', ц: 'ts', ч: 'ch',
  ш: 'sh', щ: 'shch', ъ: '', ы: 'y', ь: '', э: 'e', ю: 'yu', я: 'ya', і: 'i', ї: 'yi', є: 'ye', ґ: 'g',
  α: 'a', β: 'v', γ: 'g', δ: 'd', ε: 'e', ζ: 'z', η: 'i', θ: 'th', ι: 'i', κ: 'k', λ: 'l', μ: 'm',
  ν: 'n', ξ: 'x', ο: 'o', π: 'p', ρ: 'r', σ: 's', ς: 's', τ: 't', υ: 'y', φ: 'f', χ: 'ch', ψ: 'ps', ω: 'o',
};

/** Text in label characters [a-z0-9._-]: accents dropped, Cyrillic and Greek transliterated. */
export function slug(s: string): string {
  return [...s.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase()]
    .map((ch) => TRANSLIT[ch] ?? ch)
    .join('')
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[-._]+|[-._]+$/g, '')
    .slice(0, 56)
    .replace(/[-._]+$/g, '');
}

/** The words of a text, in label characters. */
export function words(s: string): string[] {
  return slug(s)
    .split(/[-._]+/)
    .filter((w) => w !== '');
}

export interface Site {
  /** `google` for `https://accounts.google.com`; the host itself for IPs and localhost. */
  name: string;
  /** Host labels left of the registrable domain, without `www` (`accounts`). */
  sub: string[];
  /** The words of the site's name, its public suffix and `www`: left out of a title's
   *  distinguishing words (a subdomain in a title, `mail` of "Work Mail", stays). */
  hostWords: Set<string>;
}

/** The site an origin pattern names, in label words. Null when nothing readable is left. */
export function siteOf(origin: string): Site | null {
  const host = origin.replace(/^[a-z]+:\/\/(\*\.)?/, '').replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
  const p = parse(host, { allowPrivateDomains: true });
  const labels = host.split('.').map(unicodeLabel);
  if (p.isIp || p.domainWithoutSuffix === null || p.domainWithoutSuffix === '') {
    const name = slug(labels.join('.'));
    return name === '' ? null : { name, sub: [], hostWords: new Set(labels.flatMap((l) => words(l))) };
  }
  const domainLabels = p.domainWithoutSuffix.split('.').map(unicodeLabel);
  const suffixLabels = (p.publicSuffix ?? '').split('.').map(unicodeLabel);
  const hostWords = new Set(['www', ...[...domainLabels, ...suffixLabels].flatMap((l) => words(l))]);
  const name = slug(domainLabels.join('-'));
  const sub = (p.subdomain ?? '')
    .split('.')
    .filter((l) => l !== '' && l.toLowerCase() !== 'www')
    .map((l) => slug(unicodeLabel(l)))
    .filter((l) => l !== '');
  return name === '' ? null : { name, sub, hostWords };
}
