// The core's XML parser: the element tree with offsets (settings.xml is edited by inserting text at them),
// element text, and every well-formedness error named with its line.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { childText, children, parseXml, XmlError } from '../../../src/core/xml';

describe('parseXml', () => {
  it('returns elements with offsets that slice back to their source, and their decoded text', () => {
    const text =
      '\uFEFF<?xml version="1.0"?>\n<!DOCTYPE settings [<!ELEMENT x ANY>]>\n<settings a="1" b=\'2\'>\n  <!-- c -->\n  <servers><server><id>a&amp;b</id><password><![CDATA[<x>]]></password></server><empty/></servers>\n</settings>\n';
    const root = parseXml(text);
    assert.equal(root.name, 'settings');
    assert.equal(root.line, 3);
    assert.ok(text.slice(root.start, root.end).startsWith('<settings a="1"'));
    assert.ok(text.slice(root.start, root.end).endsWith('</settings>'));
    const servers = children(root, 'servers')[0];
    const server = children(servers, 'server')[0];
    assert.equal(childText(server, 'id'), 'a&b');
    assert.equal(childText(server, 'password'), '<x>');
    const empty = children(servers, 'empty')[0];
    assert.equal(empty.selfClosing, true);
    assert.equal(text.slice(empty.start, empty.end), '<empty/>');
    assert.equal(text.slice(servers.openEnd, servers.closeStart).startsWith('<server>'), true);
  });

  const bad: [string, string, RegExp, number][] = [
    ['unclosed element', '<a>\n<b>\n</a>', /end tag <\/a> does not match <b> opened on line 2/, 3],
    ['never closed', '<a>\n<b></b>', /<a> opened on line 1 is never closed/, 2],
    ['two roots', '<a/>\n<b/>', /a second root element <b>/, 2],
    ['text outside', '<a/>x', /text outside the root element/, 1],
    ['duplicate attribute', '<a x="1" x="2"/>', /duplicate attribute x in <a>/, 1],
    ['unquoted attribute', '<a x=1/>', /attribute x value not quoted/, 1],
    ['missing space', '<a x="1"y="2"/>', /missing space before attribute in <a>/, 1],
    ['bad reference', '<a>\n&nope</a>', /'&' not followed by a valid entity/, 2],
    ['late declaration', '<!-- c -->\n<?xml version="1.0"?><a/>', /XML declaration not at the start/, 2],
    ['unterminated comment', '<a><!-- x</a>', /unterminated comment/, 1],
    ['end tag without start', '</a>', /end tag <\/a> without a start tag/, 1],
    ['empty document', '  ', /no root element/, 1],
    ['lt in attribute', '<a x="<"/>', /'<' in attribute value x/, 1],
    ['unterminated start tag', '<a\n x="1"', /unterminated start tag <a>/, 1],
  ];
  for (const [what, text, message, line] of bad) {
    it(`refuses ${what}, naming the line`, () => {
      assert.throws(
        () => parseXml(text),
        (e: unknown) => e instanceof XmlError && message.test(e.message) && e.line === line,
      );
    });
  }
});
