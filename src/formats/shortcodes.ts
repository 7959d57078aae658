// WordPress shortcodes ("[caption id=…]<img …> Text[/caption]", "[gallery ids=…]")
// are text to an HTML parser. Before parsing, each one becomes an element,
// <mh-shortcode name="caption" attrs='{"id":"…"}'>…</mh-shortcode>, so the
// converter meets it in its place in the tree. The shortcode grammar is
// WordPress's own (get_shortcode_regex, shortcode_parse_atts), not XML.

export const SHORTCODE_TAG = 'mh-shortcode';

// Core's shortcodes: recognised even without a closing tag. Any other name is
// a shortcode when its closing tag follows, or when it is shaped as plugins
// name theirs (looksLikePluginShortcode); "[sic]" in a sentence is text.
const CORE = new Set(['caption', 'wp_caption', 'gallery', 'embed', 'audio', 'video', 'playlist']);

/**
 * A lone "[name …]" that is a plugin's shortcode rather than bracketed text:
 * a lower-case name joined with "_" ("[contact_form]", "[mc4wp_form]"), or any
 * lower-case name given key=value settings ('[wpforms id="3"]',
 * '[contact-form-7 id="1"]'). "[sic]", "[1]", "[re-elected]" and
 * "[Update: …]" stay text: an editor's brackets are never taken for one.
 */
function looksLikePluginShortcode(name: string, rawAttributes: string): boolean {
  if (!/^[a-z][a-z0-9_-]*$/.test(name)) return false;
  return name.includes('_') || /(?:^|\s)[\w-]+\s*=\s*\S/.test(rawAttributes);
}

/**
 * Whether each position, asked in increasing order, is inside a tag
 * ("<a href='…[x_y]…'>"), where a shortcode is an address's text. One pass
 * over the text whatever the number of questions: a post of many brackets
 * must not take quadratic time.
 */
function tagTracker(html: string): (index: number) => boolean {
  let scanned = 0;
  let isInside = false;
  return (index) => {
    for (; scanned < index; scanned++) {
      const code = html.charCodeAt(scanned);
      if (code === 60 /* < */) isInside = true;
      else if (code === 62 /* > */) isInside = false;
    }
    return isInside;
  };
}

/** Where each shortcode name's closing tags ("[/name]") are, in order: one pass over the text. */
function closingTags(html: string): Map<string, number[]> {
  const found = new Map<string, number[]>();
  for (const match of html.matchAll(/\[\/([A-Za-z][\w-]*)\]/g)) {
    const name = match[1] ?? '';
    const list = found.get(name) ?? [];
    list.push(match.index);
    found.set(name, list);
  }
  return found;
}

/** The first of the ascending `positions` at or after `from`, or -1. */
function firstFrom(positions: number[] | undefined, from: number): number {
  if (!positions) return -1;
  let low = 0;
  let high = positions.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if ((positions[middle] ?? 0) < from) low = middle + 1;
    else high = middle;
  }
  return positions[low] ?? -1;
}

const ATTRIBUTE =
  /([\w-]+)\s*=\s*"([^"]*)"(?:\s|$)|([\w-]+)\s*=\s*'([^']*)'(?:\s|$)|([\w-]+)\s*=\s*([^\s'"]+)(?:\s|$)|"([^"]*)"(?:\s|$)|'([^']*)'(?:\s|$)|(\S+)(?:\s|$)/g;

/** A shortcode's attributes; positional ones are keyed "0", "1"… as WordPress does. */
export function parseShortcodeAttributes(text: string): Record<string, string> {
  const attributes: Record<string, string> = {};
  let position = 0;
  for (const match of text.replace(/[\u00a0\u200b]/g, ' ').matchAll(ATTRIBUTE)) {
    const [, k1, v1, k2, v2, k3, v3, p1, p2, p3] = match;
    const key = k1 ?? k2 ?? k3;
    if (key !== undefined) attributes[key.toLowerCase()] = v1 ?? v2 ?? v3 ?? '';
    else attributes[String(position++)] = p1 ?? p2 ?? p3 ?? '';
  }
  return attributes;
}

function escapeAttribute(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/"/g, '&quot;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

/** `html` with every shortcode turned into an <mh-shortcode> element ("[[x]]" stays the text "[x]"). */
export function expandShortcodes(html: string): string {
  const open = /\[(\[?)([A-Za-z][\w-]*)((?:\s[^\]]*?)?)(\/?)\](\]?)/g;
  const closings = closingTags(html);
  const isInsideTag = tagTracker(html);
  let out = '';
  let position = 0;
  for (let match = open.exec(html); match !== null; match = open.exec(html)) {
    const [whole, escapeOpen, name = '', rawAttributes = '', selfClosing, escapeClose] = match;
    if (escapeOpen && escapeClose) {
      out += html.slice(position, match.index) + whole.slice(1, -1);
      position = open.lastIndex;
      continue;
    }
    const closing = `[/${name}]`;
    const closeAt = selfClosing ? -1 : firstFrom(closings.get(name), open.lastIndex);
    if (
      closeAt === -1 &&
      !CORE.has(name.toLowerCase()) &&
      !(looksLikePluginShortcode(name, rawAttributes) && !isInsideTag(match.index))
    )
      continue;
    const inner = closeAt === -1 ? '' : html.slice(open.lastIndex, closeAt);
    const attributes = escapeAttribute(JSON.stringify(parseShortcodeAttributes(rawAttributes)));
    out += `${html.slice(position, match.index)}<${SHORTCODE_TAG} name="${escapeAttribute(name.toLowerCase())}" attrs="${attributes}">${expandShortcodes(inner)}</${SHORTCODE_TAG}>`;
    position = closeAt === -1 ? open.lastIndex : closeAt + closing.length;
    open.lastIndex = position;
  }
  return out + html.slice(position);
}
