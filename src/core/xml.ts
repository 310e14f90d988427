// The one small XML parser of the core, for settings.xml (login) and pom.xml (pre-warm). It checks well-formedness
// as far as a config file needs (one root, matched and nested tags, quoted unique attributes, terminated
// comments/CDATA/PIs, valid references, no text outside the root) and returns the element tree with source offsets,
// so settings.xml can be edited by inserting text at the right places instead of re-serialising it (which would
// lose formatting), plus each element's line and text for reading a POM. A full XML library is not worth a
// dependency for either.

export interface XmlElement {
  name: string;
  /** Offset of '<' of the start tag, just after its '>', of '</' of the end tag, and just after the end tag. */
  start: number;
  openEnd: number;
  closeStart: number;
  end: number;
  selfClosing: boolean;
  children: XmlElement[];
  /** 1-based line of the start tag, for messages. */
  line: number;
  /** The element's own text (CDATA unwrapped, references decoded), without that of its children. */
  text: string;
}

/** `message` says what is wrong; `line` where. */
export class XmlError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
  }
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[A-Za-z_:][-A-Za-z0-9_.:]*);/g, (m, ref: string) => {
    if (ref.startsWith('#x')) return String.fromCodePoint(parseInt(ref.slice(2), 16));
    if (ref.startsWith('#')) return String.fromCodePoint(parseInt(ref.slice(1), 10));
    return ENTITIES[ref] ?? m;
  });
}

const NAME = /[A-Za-z_:][-A-Za-z0-9_.:\u00B7-\uFFFF]*/y;

/** Line numbers by binary search over the newline offsets (a POM can be large; no rescans from the start). */
function lineCounter(text: string): (pos: number) => number {
  const newlines: number[] = [];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) newlines.push(i);
  return (pos) => {
    let lo = 0;
    let hi = newlines.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (newlines[mid] < pos) lo = mid + 1;
      else hi = mid;
    }
    return lo + 1;
  };
}

function checkRefs(text: string, from: number, to: number, fail: (msg: string, at: number) => never): void {
  for (let i = text.indexOf('&', from); i >= 0 && i < to; i = text.indexOf('&', i + 1)) {
    const m = /^&(#[0-9]+|#x[0-9a-fA-F]+|[A-Za-z_:][-A-Za-z0-9_.:]*);/.exec(text.slice(i, Math.min(to, i + 64)));
    if (!m) fail("'&' not followed by a valid entity or character reference", i);
  }
}

export function parseXml(text: string): XmlElement {
  let pos = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const lineOf = lineCounter(text);
  const fail = (msg: string, at = pos): never => {
    throw new XmlError(msg, lineOf(at));
  };
  const stack: XmlElement[] = [];
  let root: XmlElement | null = null;
  const expect = (close: string, what: string) => {
    const end = text.indexOf(close, pos);
    if (end < 0) fail(`unterminated ${what}`);
    pos = end + close.length;
  };
  while (pos < text.length) {
    const lt = text.indexOf('<', pos);
    const textEnd = lt < 0 ? text.length : lt;
    if (textEnd > pos) {
      if (stack.length === 0 && text.slice(pos, textEnd).trim() !== '') fail('text outside the root element');
      checkRefs(text, pos, textEnd, fail);
      if (text.slice(pos, textEnd).includes(']]>')) fail("']]>' in text");
      if (stack.length > 0) stack[stack.length - 1].text += decode(text.slice(pos, textEnd));
      pos = textEnd;
      if (lt < 0) break;
    }
    if (text.startsWith('<!--', pos)) {
      expect('-->', 'comment');
    } else if (text.startsWith('<![CDATA[', pos)) {
      if (stack.length === 0) fail('CDATA outside the root element');
      const from = pos + 9;
      expect(']]>', 'CDATA section');
      stack[stack.length - 1].text += text.slice(from, pos - 3);
    } else if (text.startsWith('<?', pos)) {
      if (text.startsWith('<?xml', pos) && /\s/.test(text[pos + 5] ?? '') && pos > (text.charCodeAt(0) === 0xfeff ? 1 : 0)) fail('XML declaration not at the start of the file');
      expect('?>', 'processing instruction');
    } else if (text.startsWith('<!DOCTYPE', pos)) {
      if (root || stack.length > 0) fail('DOCTYPE after the root element');
      let depth = 0;
      let i = pos + 9;
      for (; i < text.length; i++) {
        const c = text[i];
        if (c === '[') depth++;
        else if (c === ']') depth--;
        else if (c === '>' && depth === 0) break;
      }
      if (i >= text.length) fail('unterminated DOCTYPE');
      pos = i + 1;
    } else if (text.startsWith('</', pos)) {
      const at = pos;
      NAME.lastIndex = pos + 2;
      const m = NAME.exec(text);
      if (!m) fail('bad end tag');
      pos = NAME.lastIndex;
      while (/\s/.test(text[pos] ?? '')) pos++;
      if (text[pos] !== '>') fail(`unterminated end tag </${m![0]}>`);
      pos++;
      const open = stack.pop();
      if (!open) fail(`end tag </${m![0]}> without a start tag`, at);
      if (open!.name !== m![0]) fail(`end tag </${m![0]}> does not match <${open!.name}> opened on line ${open!.line}`, at);
      open!.closeStart = at;
      open!.end = pos;
    } else {
      const at = pos;
      NAME.lastIndex = pos + 1;
      const m = NAME.exec(text);
      if (!m) fail("'<' not followed by a tag name");
      if (stack.length === 0 && root) fail(`a second root element <${m![0]}>`);
      pos = NAME.lastIndex;
      const attrs = new Set<string>();
      for (;;) {
        const ws = /\s*/y;
        ws.lastIndex = pos;
        ws.exec(text);
        const hadSpace = ws.lastIndex > pos;
        pos = ws.lastIndex;
        if (text.startsWith('/>', pos) || text[pos] === '>') break;
        if (pos >= text.length) fail(`unterminated start tag <${m![0]}>`, at);
        if (!hadSpace) fail(`missing space before attribute in <${m![0]}>`);
        NAME.lastIndex = pos;
        const a = NAME.exec(text);
        if (!a) fail(`bad attribute in <${m![0]}>`);
        if (attrs.has(a![0])) fail(`duplicate attribute ${a![0]} in <${m![0]}>`);
        attrs.add(a![0]);
        pos = NAME.lastIndex;
        const eq = /\s*=\s*/y;
        eq.lastIndex = pos;
        if (!eq.exec(text)) fail(`attribute ${a![0]} without a value`);
        pos = eq.lastIndex;
        const q = text[pos];
        if (q !== '"' && q !== "'") fail(`attribute ${a![0]} value not quoted`);
        const close = text.indexOf(q, pos + 1);
        if (close < 0) fail(`unterminated attribute value ${a![0]}`);
        if (text.slice(pos + 1, close).includes('<')) fail(`'<' in attribute value ${a![0]}`);
        checkRefs(text, pos + 1, close, fail);
        pos = close + 1;
      }
      const selfClosing = text[pos] === '/';
      pos += selfClosing ? 2 : 1;
      const el: XmlElement = { name: m![0], start: at, openEnd: pos, closeStart: selfClosing ? at : -1, end: selfClosing ? pos : -1, selfClosing, children: [], line: lineOf(at), text: '' };
      if (stack.length > 0) stack[stack.length - 1].children.push(el);
      else root = el;
      if (!selfClosing) stack.push(el);
    }
  }
  if (stack.length > 0) fail(`<${stack[stack.length - 1].name}> opened on line ${stack[stack.length - 1].line} is never closed`);
  if (!root) fail('no root element');
  return root!;
}

/** Text content of an element (comments dropped, CDATA unwrapped, the five predefined entities decoded), trimmed. */
export function elementText(text: string, el: XmlElement): string {
  if (el.selfClosing) return '';
  return text
    .slice(el.openEnd, el.closeStart)
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/<!\[CDATA\[([\s\S]*?)\]\]>/g, '$1')
    .replace(/&(lt|gt|quot|apos|amp);/g, (_, e: string) => ({ lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' })[e] ?? '')
    .trim();
}

/** The first child element with this (local) name. */
export function child(el: XmlElement | undefined, name: string): XmlElement | undefined {
  return el?.children.find((c) => localName(c.name) === name);
}

export function children(el: XmlElement | undefined, name: string): XmlElement[] {
  return el ? el.children.filter((c) => localName(c.name) === name) : [];
}

/** Trimmed text of a child element, or undefined when absent or empty. */
export function childText(el: XmlElement | undefined, name: string): string | undefined {
  const t = child(el, name)?.text.trim();
  return t ? t : undefined;
}

function localName(n: string): string {
  const c = n.indexOf(':');
  return c < 0 ? n : n.slice(c + 1);
}

export function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
