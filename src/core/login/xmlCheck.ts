// A small XML well-formedness checker that also returns the element tree with source offsets, so settings.xml
// can be edited by inserting text at the right places instead of re-serialising (which would lose formatting).
// It checks what matters for a config file: one root, matched and properly nested tags, quoted unique attributes,
// terminated comments/CDATA/PIs, valid character and entity references, no text outside the root.

export interface XmlElement {
  name: string;
  /** Offset of '<' of the start tag, just after its '>', of '</' of the end tag, and just after the end tag. */
  start: number;
  openEnd: number;
  closeStart: number;
  end: number;
  selfClosing: boolean;
  children: XmlElement[];
}

export class XmlError extends Error {}

const NAME = /[A-Za-z_:][-A-Za-z0-9_.:\u00B7-\uFFFF]*/y;

function lineOf(text: string, pos: number): number {
  let n = 1;
  for (let i = 0; i < pos && i < text.length; i++) if (text.charCodeAt(i) === 10) n++;
  return n;
}

function checkRefs(text: string, from: number, to: number, fail: (msg: string, at: number) => never): void {
  for (let i = text.indexOf('&', from); i >= 0 && i < to; i = text.indexOf('&', i + 1)) {
    const m = /^&(#[0-9]+|#x[0-9a-fA-F]+|[A-Za-z_:][-A-Za-z0-9_.:]*);/.exec(text.slice(i, Math.min(to, i + 64)));
    if (!m) fail("'&' not followed by a valid entity or character reference", i);
  }
}

export function parseXml(text: string): XmlElement {
  let pos = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const fail = (msg: string, at = pos): never => {
    throw new XmlError(`line ${lineOf(text, at)}: ${msg}`);
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
      pos = textEnd;
      if (lt < 0) break;
    }
    if (text.startsWith('<!--', pos)) {
      expect('-->', 'comment');
    } else if (text.startsWith('<![CDATA[', pos)) {
      if (stack.length === 0) fail('CDATA outside the root element');
      expect(']]>', 'CDATA section');
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
      if (open!.name !== m![0]) fail(`end tag </${m![0]}> does not match <${open!.name}> (line ${lineOf(text, open!.start)})`, at);
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
      const el: XmlElement = { name: m![0], start: at, openEnd: pos, closeStart: selfClosing ? at : -1, end: selfClosing ? pos : -1, selfClosing, children: [] };
      if (stack.length > 0) stack[stack.length - 1].children.push(el);
      else root = el;
      if (!selfClosing) stack.push(el);
    }
  }
  if (stack.length > 0) fail(`<${stack[stack.length - 1].name}> (line ${lineOf(text, stack[stack.length - 1].start)}) is never closed`);
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

export function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
