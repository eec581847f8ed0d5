/** Pages are sent without the templates' indentation (issue 15), except inside <pre> and <textarea>. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withoutIndentation } from '../../src/http/web/render.ts';

test('indentation and blank lines go; text, <pre> and <textarea> stay as they are', () => {
  const page =
    '<ul>\n    <li>\n      One two\n    </li>\n\n  </ul>\n  <textarea name="n">\n  Line one\n\n    indented\n</textarea>\n  <PRE>\n  x\n</PRE>\n <p>a  b</p>';
  assert.equal(
    withoutIndentation(page),
    '<ul>\n<li>\nOne two\n</li>\n</ul>\n<textarea name="n">\n  Line one\n\n    indented\n</textarea>\n<PRE>\n  x\n</PRE>\n<p>a  b</p>',
  );
});
