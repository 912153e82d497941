/**
 * A small, strict XML reader for password-manager exports (KeePass 2 / KeePassXC XML):
 * elements, attributes, text, CDATA, comments, the XML declaration, the five named
 * entities and numeric character references. No DTDs (a `<!DOCTYPE` is refused: no entity
 * expansion, no external fetches), no namespaces. Pure: runs in Node and in the settings
 * page. Errors name the kind and a byte offset, never content (it may be a password).
 */
import { ImportFormatError } from './types.js';

export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  /** The element's own text (CDATA included), concatenated. */
  text: string;
}

const NAMED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function bad(what: string, at: number): never {
  throw new ImportFormatError(`malformed XML near character ${at}: ${what}`);
}

function decode(s: string, at: number): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-z]+);|&/g, (m, ref: string | undefined) => {
    if (ref === undefined) bad('a bare "&"', at);
    if (ref.startsWith('#')) {
      const cp = ref[1] === 'x' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      if (!Number.isInteger(cp) || cp > 0x10ffff) bad('a bad character reference', at);
      return String.fromCodePoint(cp);
    }
    const v = NAMED[ref];
    if (v === undefined) bad('an unknown entity', at);
    return v;
  });
}

const NAME = /[A-Za-z_:][-A-Za-z0-9_.:]*/y;
const ATTR = /\s+([A-Za-z_:][-A-Za-z0-9_.:]*)\s*=\s*("([^"<]*)"|'([^'<]*)')/y;

export function parseXml(text: string): XmlElement {
  const s = text.replace(/^\uFEFF/, '');
  const root: XmlElement = { name: '#document', attrs: {}, children: [], text: '' };
  const stack: XmlElement[] = [root];
  let i = 0;
  while (i < s.length) {
    const lt = s.indexOf('<', i);
    const top = stack[stack.length - 1]!;
    const chunk = lt < 0 ? s.slice(i) : s.slice(i, lt);
    if (chunk !== '') {
      if (stack.length === 1 && chunk.trim() !== '') bad('text outside the root element', i);
      top.text += decode(chunk, i);
    }
    if (lt < 0) break;
    i = lt;
    if (s.startsWith('<!--', i)) {
      const end = s.indexOf('-->', i + 4);
      if (end < 0) bad('an unclosed comment', i);
      i = end + 3;
    } else if (s.startsWith('<![CDATA[', i)) {
      const end = s.indexOf(']]>', i + 9);
      if (end < 0) bad('an unclosed CDATA section', i);
      top.text += s.slice(i + 9, end);
      i = end + 3;
    } else if (s.startsWith('<?', i)) {
      const end = s.indexOf('?>', i + 2);
      if (end < 0) bad('an unclosed declaration', i);
      i = end + 2;
    } else if (s.startsWith('<!', i)) {
      bad('a DOCTYPE or declaration (not accepted)', i);
    } else if (s.startsWith('</', i)) {
      NAME.lastIndex = i + 2;
      const m = NAME.exec(s);
      if (!m) bad('a bad end tag', i);
      const close = s.indexOf('>', NAME.lastIndex);
      if (close < 0 || s.slice(NAME.lastIndex, close).trim() !== '') bad('a bad end tag', i);
      if (stack.length < 2 || top.name !== m[0]) bad('an end tag that does not match', i);
      stack.pop();
      i = close + 1;
    } else {
      NAME.lastIndex = i + 1;
      const m = NAME.exec(s);
      if (!m) bad('a bad tag', i);
      const el: XmlElement = { name: m[0], attrs: {}, children: [], text: '' };
      let j = NAME.lastIndex;
      for (;;) {
        ATTR.lastIndex = j;
        const a = ATTR.exec(s);
        if (!a) break;
        el.attrs[a[1]!] = decode(a[3] ?? a[4] ?? '', j);
        j = ATTR.lastIndex;
      }
      while (j < s.length && /\s/.test(s[j]!)) j++;
      if (stack.length === 1 && root.children.length > 0) bad('a second root element', i);
      top.children.push(el);
      if (s.startsWith('/>', j)) i = j + 2;
      else if (s[j] === '>') {
        stack.push(el);
        i = j + 1;
      } else bad('a bad tag', i);
    }
  }
  if (stack.length !== 1) bad('an element is never closed', s.length);
  const doc = root.children[0];
  if (doc === undefined) bad('no root element', 0);
  return doc;
}

/** The first child element with this name. */
export function child(el: XmlElement, name: string): XmlElement | undefined {
  return el.children.find((c) => c.name === name);
}
