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
  return new XmlParser(text).parse();
}

/** One pass over the text: `pos` moves forward, `stack` holds the open elements. */
class XmlParser {
  private readonly bomLength: number;
  private pos: number;
  private readonly lineOf: (pos: number) => number;
  private readonly stack: XmlElement[] = [];
  private root: XmlElement | null = null;

  constructor(private readonly text: string) {
    this.bomLength = text.charCodeAt(0) === 0xfeff ? 1 : 0;
    this.pos = this.bomLength;
    this.lineOf = lineCounter(text);
  }

  private fail = (msg: string, at = this.pos): never => {
    throw new XmlError(msg, this.lineOf(at));
  };

  private get open(): XmlElement | undefined {
    return this.stack[this.stack.length - 1];
  }

  /** Moves past the next `close`, or fails naming what was left unterminated. */
  private skipPast(close: string, what: string): void {
    const end = this.text.indexOf(close, this.pos);
    if (end < 0) this.fail(`unterminated ${what}`);
    this.pos = end + close.length;
  }

  parse(): XmlElement {
    const { text } = this;
    while (this.pos < text.length) {
      const lt = text.indexOf('<', this.pos);
      this.characters(lt < 0 ? text.length : lt);
      if (lt < 0) break;
      if (text.startsWith('<!--', this.pos)) this.skipPast('-->', 'comment');
      else if (text.startsWith('<![CDATA[', this.pos)) this.cdata();
      else if (text.startsWith('<?', this.pos)) this.processingInstruction();
      else if (text.startsWith('<!DOCTYPE', this.pos)) this.doctype();
      else if (text.startsWith('</', this.pos)) this.endTag();
      else this.startTag();
    }
    const open = this.open;
    if (open) this.fail(`<${open.name}> opened on line ${open.line} is never closed`);
    if (!this.root) this.fail('no root element');
    return this.root!;
  }

  /** Character data up to `to` (the next '<' or the end). */
  private characters(to: number): void {
    if (to <= this.pos) return;
    const chunk = this.text.slice(this.pos, to);
    if (!this.open && chunk.trim() !== '') this.fail('text outside the root element');
    checkRefs(this.text, this.pos, to, this.fail);
    if (chunk.includes(']]>')) this.fail("']]>' in text");
    if (this.open) this.open.text += decode(chunk);
    this.pos = to;
  }

  private cdata(): void {
    if (!this.open) this.fail('CDATA outside the root element');
    const from = this.pos + 9;
    this.skipPast(']]>', 'CDATA section');
    this.open!.text += this.text.slice(from, this.pos - 3);
  }

  private processingInstruction(): void {
    const { text, pos } = this;
    if (text.startsWith('<?xml', pos) && /\s/.test(text[pos + 5] ?? '') && pos > this.bomLength) this.fail('XML declaration not at the start of the file');
    this.skipPast('?>', 'processing instruction');
  }

  private doctype(): void {
    if (this.root || this.open) this.fail('DOCTYPE after the root element');
    let depth = 0;
    let i = this.pos + 9;
    for (; i < this.text.length; i++) {
      const c = this.text[i];
      if (c === '[') depth++;
      else if (c === ']') depth--;
      else if (c === '>' && depth === 0) break;
    }
    if (i >= this.text.length) this.fail('unterminated DOCTYPE');
    this.pos = i + 1;
  }

  private name(at: number): string | undefined {
    NAME.lastIndex = at;
    const m = NAME.exec(this.text);
    if (!m) return undefined;
    this.pos = NAME.lastIndex;
    return m[0];
  }

  private endTag(): void {
    const at = this.pos;
    const name = this.name(at + 2) ?? this.fail('bad end tag');
    while (/\s/.test(this.text[this.pos] ?? '')) this.pos++;
    if (this.text[this.pos] !== '>') this.fail(`unterminated end tag </${name}>`);
    this.pos++;
    const open = this.stack.pop() ?? this.fail(`end tag </${name}> without a start tag`, at);
    if (open.name !== name) this.fail(`end tag </${name}> does not match <${open.name}> opened on line ${open.line}`, at);
    open.closeStart = at;
    open.end = this.pos;
  }

  private startTag(): void {
    const at = this.pos;
    const name = this.name(at + 1) ?? this.fail("'<' not followed by a tag name");
    if (!this.open && this.root) this.fail(`a second root element <${name}>`);
    this.attributes(name, at);
    const selfClosing = this.text[this.pos] === '/';
    this.pos += selfClosing ? 2 : 1;
    const el: XmlElement = {
      name,
      start: at,
      openEnd: this.pos,
      closeStart: selfClosing ? at : -1,
      end: selfClosing ? this.pos : -1,
      selfClosing,
      children: [],
      line: this.lineOf(at),
      text: '',
    };
    if (this.open) this.open.children.push(el);
    else this.root = el;
    if (!selfClosing) this.stack.push(el);
  }

  /** Checks the attributes of a start tag and stops at its '>' or '/>'. */
  private attributes(tag: string, at: number): void {
    const { text } = this;
    const seen = new Set<string>();
    for (;;) {
      const ws = /\s*/y;
      ws.lastIndex = this.pos;
      ws.exec(text);
      const hadSpace = ws.lastIndex > this.pos;
      this.pos = ws.lastIndex;
      if (text.startsWith('/>', this.pos) || text[this.pos] === '>') return;
      if (this.pos >= text.length) this.fail(`unterminated start tag <${tag}>`, at);
      if (!hadSpace) this.fail(`missing space before attribute in <${tag}>`);
      const attr = this.name(this.pos) ?? this.fail(`bad attribute in <${tag}>`);
      if (seen.has(attr)) this.fail(`duplicate attribute ${attr} in <${tag}>`);
      seen.add(attr);
      const eq = /\s*=\s*/y;
      eq.lastIndex = this.pos;
      if (!eq.exec(text)) this.fail(`attribute ${attr} without a value`);
      this.pos = eq.lastIndex;
      const q = text[this.pos];
      if (q !== '"' && q !== "'") this.fail(`attribute ${attr} value not quoted`);
      const close = text.indexOf(q, this.pos + 1);
      if (close < 0) this.fail(`unterminated attribute value ${attr}`);
      if (text.slice(this.pos + 1, close).includes('<')) this.fail(`'<' in attribute value ${attr}`);
      checkRefs(text, this.pos + 1, close, this.fail);
      this.pos = close + 1;
    }
  }
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
