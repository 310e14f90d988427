// Text of the XML the registries read (POMs, .nuspec files): the five predefined entities and character
// references, checked as an XML parser checks them. A reference to a code point that is not an XML character
// (`&#x110000;`, `&#0;`) or an unknown entity is an XmlError naming the file and the reference, which the
// registries answer 400; never a RangeError from String.fromCodePoint.

export class XmlError extends Error {}

const NAMED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** XML 1.0 `Char`: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]. */
function isXmlChar(cp: number): boolean {
  return cp === 0x9 || cp === 0xa || cp === 0xd || (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff);
}

/** `text` with its references replaced; throws XmlError (naming `where`) on a malformed or out-of-range one. */
export function decodeXmlText(text: string, where: string): string {
  return text.replace(/&([^;&\s]{0,32});?/g, (ref: string, body: string) => {
    if (!ref.endsWith(';')) throw new XmlError(`${where}: "${ref}" is not a complete entity or character reference (missing ";")`);
    const num = /^#(?:x([0-9a-fA-F]+)|([0-9]+))$/.exec(body);
    if (num) {
      const cp = num[1] !== undefined ? parseInt(num[1], 16) : parseInt(num[2], 10);
      if (!isXmlChar(cp)) throw new XmlError(`${where}: character reference ${ref} is not a valid XML character`);
      return String.fromCodePoint(cp);
    }
    const named = Object.hasOwn(NAMED, body) ? NAMED[body] : undefined;
    if (named === undefined) throw new XmlError(`${where}: unknown entity ${ref}`);
    return named;
  });
}
