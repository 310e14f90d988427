// A small, strict-enough XML reader for pom.xml: elements, text, comments, CDATA, processing
// instructions and the five predefined entities. No namespaces or DTDs beyond skipping them;
// a POM needs nothing more, and pulling in a full XML library for it is not worth a dependency.

export interface XmlElement {
  name: string;
  children: XmlElement[];
  text: string;
  /** 1-based line of the start tag, for error messages. */
  line: number;
}

export class XmlError extends Error {
  constructor(message: string, readonly line: number) {
    super(message);
  }
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(s: string, line: number): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);/g, (m, ref: string) => {
    if (ref.startsWith('#x')) return String.fromCodePoint(parseInt(ref.slice(2), 16));
    if (ref.startsWith('#')) return String.fromCodePoint(parseInt(ref.slice(1), 10));
    const v = ENTITIES[ref];
    if (v === undefined) throw new XmlError(`unknown entity ${m}`, line);
    return v;
  });
}

/** Parses a document and returns its root element. Throws XmlError naming the line of the problem. */
export function parseXml(text: string): XmlElement {
  let i = 0;
  let line = 1;
  const advance = (to: number) => {
    for (let k = i; k < to; k++) if (text.charCodeAt(k) === 10) line++;
    i = to;
  };
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  while (i < text.length) {
    const lt = text.indexOf('<', i);
    if (lt < 0) {
      const rest = text.slice(i);
      if (rest.trim() && stack.length) throw new XmlError(`unexpected end of file inside <${stack[stack.length - 1].name}>`, line);
      if (rest.trim()) throw new XmlError('text after the root element', line);
      advance(text.length);
      break;
    }
    if (lt > i) {
      const raw = text.slice(i, lt);
      if (stack.length) stack[stack.length - 1].text += decode(raw, line);
      else if (raw.trim()) throw new XmlError('text outside the root element', line);
      advance(lt);
    }
    if (text.startsWith('<!--', i)) {
      const end = text.indexOf('-->', i + 4);
      if (end < 0) throw new XmlError('unterminated comment', line);
      advance(end + 3);
    } else if (text.startsWith('<![CDATA[', i)) {
      const end = text.indexOf(']]>', i + 9);
      if (end < 0) throw new XmlError('unterminated CDATA section', line);
      if (stack.length) stack[stack.length - 1].text += text.slice(i + 9, end);
      advance(end + 3);
    } else if (text.startsWith('<?', i)) {
      const end = text.indexOf('?>', i + 2);
      if (end < 0) throw new XmlError('unterminated processing instruction', line);
      advance(end + 2);
    } else if (text.startsWith('<!', i)) {
      const end = text.indexOf('>', i + 2);
      if (end < 0) throw new XmlError('unterminated declaration', line);
      advance(end + 1);
    } else if (text.startsWith('</', i)) {
      const end = text.indexOf('>', i);
      if (end < 0) throw new XmlError('unterminated end tag', line);
      const name = text.slice(i + 2, end).trim();
      const open = stack.pop();
      if (!open) throw new XmlError(`end tag </${name}> without a start tag`, line);
      if (open.name !== name) throw new XmlError(`end tag </${name}> does not match <${open.name}> opened on line ${open.line}`, line);
      advance(end + 1);
    } else {
      // Start tag: find its end while respecting quoted attribute values.
      let k = i + 1;
      let quote = '';
      for (; k < text.length; k++) {
        const c = text[k];
        if (quote) {
          if (c === quote) quote = '';
        } else if (c === '"' || c === "'") quote = c;
        else if (c === '>') break;
      }
      if (k >= text.length) throw new XmlError('unterminated start tag', line);
      const body = text.slice(i + 1, k);
      const selfClosing = body.endsWith('/');
      const name = /^[^\s/>]+/.exec(body)?.[0];
      if (!name) throw new XmlError('start tag without a name', line);
      const el: XmlElement = { name, children: [], text: '', line };
      if (stack.length) stack[stack.length - 1].children.push(el);
      else if (root) throw new XmlError('more than one root element', line);
      else root = el;
      if (!selfClosing) stack.push(el);
      advance(k + 1);
    }
  }
  if (stack.length) throw new XmlError(`unexpected end of file: <${stack[stack.length - 1].name}> opened on line ${stack[stack.length - 1].line} is not closed`, line);
  if (!root) throw new XmlError('no root element', line);
  return root;
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
