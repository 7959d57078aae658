import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cleanPastedHtml } from './paste-html.js';

// The same piece copied from each program (test/fixtures/paste) comes out as
// the same plain markup: headings under the headline, bold and italic where
// the writer put them and nowhere else, real lists, links, the table.

const fixture = (name: string) =>
  readFileSync(new URL(`../../../test/fixtures/paste/${name}.html`, import.meta.url), 'utf8');

const head =
  '<h2>Harbour budget</h2><p>The port authority spent <strong>4.2 million</strong> on dredging, and <em>nobody</em> asked why.</p>' +
  '<h3>What the records show</h3><ul><li><p>Three contracts went to one firm</p></li><li><p>Two were never tendered</p></li></ul>' +
  '<ol><li><p>First the audit</p></li><li><p>Then the vote</p></li></ol>';
const link = '<p>Read the <a href="https://example.org/audit">audit report</a>.</p>';
const rows =
  '<tr><td><p>2024</p></td><td><p>1.9 m</p></td></tr><tr><td><p>2025</p></td><td><p>2.3 m</p></td></tr>';
// Word processors mark a table's first row bold; HTML writers make it header cells.
const boldHeader = `<table><tbody><tr><td><p><strong>Year</strong></p></td><td><p><strong>Spent</strong></p></td></tr>${rows}</tbody></table>`;
const headerCells = `<table><tbody><tr><th><p>Year</p></th><th><p>Spent</p></th></tr>${rows}</tbody></table>`;

describe('cleanPastedHtml', () => {
  it.each([
    ['google-docs', `${head}${link}${boldHeader}`],
    ['word-desktop', `${head}${link}${boldHeader}`],
    ['word-web', `${head}${link}${boldHeader}`],
    ['libreoffice', `${head}${link}${headerCells}`],
    [
      'web-page',
      `${head}<blockquote><p>Nobody asked, so we did.</p></blockquote><p>Read the <a href="https://example.org/audit">audit report</a>. Subscribe</p>${headerCells}`,
    ],
  ])('keeps only the structure and the marks of a copy from %s', (name, expected) => {
    const cleaned = cleanPastedHtml(fixture(name));
    expect(cleaned).toBe(expected);
    // Nothing a CSP would block or a reader's page should carry.
    expect(cleaned).not.toMatch(/style=|class=|<script|<img|onclick|<span|<b>/);
  });

  it('does not make everything bold inside Google Docs’ <b style="font-weight:normal"> wrapper', () => {
    expect(
      cleanPastedHtml(
        '<b style="font-weight:normal;" id="docs-internal-guid-1"><p><span style="font-weight:400">plain</span> <span style="font-weight:700">bold</span></p></b>',
      ),
    ).toBe('<p>plain <strong>bold</strong></p>');
  });

  it('nests Word’s list paragraphs by their level and leaves out the fake bullets', () => {
    const item = (level: number, marker: string, text: string) =>
      `<p class=MsoListParagraph style='mso-list:l0 level${level} lfo1'><![if !supportLists]><span style='mso-list:Ignore'>${marker}<span style='font:7.0pt "Times New Roman"'>&nbsp;</span></span><![endif]>${text}</p>`;
    expect(
      cleanPastedHtml(
        item(1, '1.', 'One') +
          item(2, 'a.', 'One a') +
          item(2, 'b.', 'One b') +
          item(1, '2.', 'Two'),
      ),
    ).toBe(
      '<ol><li><p>One</p><ol><li><p>One a</p></li><li><p>One b</p></li></ol></li><li><p>Two</p></li></ol>',
    );
  });

  it('keeps only links that lead somewhere from the article', () => {
    expect(
      cleanPastedHtml(
        '<p><a href="javascript:alert(1)">a</a> <a href="/local">b</a> <a href="mailto:desk@example.org">c</a></p>',
      ),
    ).toBe('<p>a b <a href="mailto:desk@example.org">c</a></p>');
  });

  it('escapes text so that pasted words never become markup', () => {
    expect(cleanPastedHtml('<p>&lt;script&gt;alert(1)&lt;/script&gt; &amp; more</p>')).toBe(
      '<p>&lt;script&gt;alert(1)&lt;/script&gt; &amp; more</p>',
    );
  });
});
