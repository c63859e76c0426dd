/**
 * Reduces a shop's HTML to a safe subset for a newsletter body. Safe by construction: the output
 * is rebuilt from allow-listed tags and attributes that this file writes itself, with every text
 * and attribute value escaped again, so markup the scanner misreads can only end up as text.
 */

const ALLOWED_TAGS = new Set([
  "a",
  "b",
  "blockquote",
  "br",
  "code",
  "div",
  "em",
  "h1",
  "h2",
  "h3",
  "h4",
  "hr",
  "i",
  "img",
  "li",
  "ol",
  "p",
  "pre",
  "s",
  "span",
  "strong",
  "table",
  "tbody",
  "td",
  "th",
  "thead",
  "tr",
  "u",
  "ul",
]);
const VOID_TAGS = new Set(["br", "hr", "img"]);
/** Dropped with everything inside them, not just the tags. */
const DROP_WITH_CONTENT = new Set([
  "script",
  "style",
  "iframe",
  "object",
  "embed",
  "template",
  "noscript",
  "textarea",
  "title",
  "svg",
  "math",
]);
const ALLOWED_ATTRIBUTES: Record<string, readonly string[]> = {
  a: ["href", "title"],
  img: ["src", "alt", "width", "height"],
  td: ["colspan", "rowspan"],
  th: ["colspan", "rowspan"],
};
const URL_ATTRIBUTES = new Set(["href", "src"]);

export interface SanitizeOptions {
  /** Whether a decoded URL attribute may stay; default http(s) and mailto only. */
  allowUrl?: (url: string) => boolean;
}

export function escapeHtml(value: string): string {
  return value
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

export function isSafeUrl(url: string): boolean {
  return /^(https?:\/\/|mailto:)/i.test(url.trim());
}

const NAMED = new Map([
  ["amp", "&"],
  ["lt", "<"],
  ["gt", ">"],
  ["quot", '"'],
  ["apos", "'"],
  ["nbsp", "\u00a0"],
]);

function decodeEntities(value: string): string {
  return value.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);?/gi, (whole, ref: string) => {
    if (ref[0] === "#") {
      const code =
        ref[1] === "x" || ref[1] === "X" ? Number.parseInt(ref.slice(2), 16) : Number(ref.slice(1));
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : "";
    }
    return NAMED.get(ref.toLowerCase()) ?? whole;
  });
}

/**
 * Text between tags: escaped again after decoding, except well-formed named references the decoder
 * does not know (`&copy;`, `&eacute;`), which stay as they are: a reference can only ever be text.
 */
function cleanText(text: string): string {
  return text
    .split(/(&[a-zA-Z][a-zA-Z0-9]{1,31};)/)
    .map((part, index) =>
      index % 2 === 1 && !NAMED.has(part.slice(1, -1).toLowerCase())
        ? part
        : escapeHtml(decodeEntities(part)),
    )
    .join("");
}

const TAG =
  /^<(\/?)([a-zA-Z][a-zA-Z0-9]*)((?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*)\s*(\/?)>/;
const ATTRIBUTE = /([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;

export function sanitizeHtml(input: string, options: SanitizeOptions = {}): string {
  const allowUrl = options.allowUrl ?? isSafeUrl;
  const out: string[] = [];
  const open: string[] = [];
  let rest = input;
  while (rest.length > 0) {
    const lt = rest.indexOf("<");
    if (lt === -1) {
      out.push(cleanText(rest));
      break;
    }
    if (lt > 0) out.push(cleanText(rest.slice(0, lt)));
    rest = rest.slice(lt);
    if (rest.startsWith("<!--")) {
      const end = rest.indexOf("-->", 4);
      rest = end === -1 ? "" : rest.slice(end + 3);
      continue;
    }
    const match = TAG.exec(rest);
    if (!match) {
      // A "<" that starts no tag (e.g. "a < b", "<!doctype", "<?xml"): a declaration is dropped, the rest is text.
      const declaration = /^<[!?][^>]*>/.exec(rest);
      if (declaration) rest = rest.slice(declaration[0].length);
      else {
        out.push("&lt;");
        rest = rest.slice(1);
      }
      continue;
    }
    rest = rest.slice(match[0].length);
    const closing = match[1] === "/";
    const name = (match[2] ?? "").toLowerCase();
    if (DROP_WITH_CONTENT.has(name)) {
      if (!closing) {
        const end = rest.toLowerCase().indexOf(`</${name}`);
        rest = end === -1 ? "" : rest.slice(end).replace(/^<\/[^>]*>?/, "");
      }
      continue;
    }
    if (!ALLOWED_TAGS.has(name)) continue;
    if (closing) {
      const at = open.lastIndexOf(name);
      if (at === -1) continue;
      // Close what was left open inside it, so the output stays balanced.
      while (open.length > at) out.push(`</${open.pop()}>`);
      continue;
    }
    out.push(`<${name}${cleanAttributes(name, match[3] ?? "", allowUrl)}>`);
    if (!VOID_TAGS.has(name)) open.push(name);
  }
  while (open.length > 0) out.push(`</${open.pop()}>`);
  return out.join("");
}

function cleanAttributes(tag: string, source: string, allowUrl: (url: string) => boolean): string {
  const allowed = ALLOWED_ATTRIBUTES[tag];
  if (!allowed) return "";
  const kept: string[] = [];
  const seen = new Set<string>();
  for (const found of source.matchAll(ATTRIBUTE)) {
    const name = (found[1] ?? "").toLowerCase();
    if (!allowed.includes(name) || seen.has(name)) continue;
    // Control characters and spaces inside a scheme ("java\tscript:") are ignored by browsers.
    const value = stripControls(decodeEntities(found[2] ?? found[3] ?? found[4] ?? ""));
    if (URL_ATTRIBUTES.has(name) && !allowUrl(value)) continue;
    if ((name === "width" || name === "height" || name.endsWith("span")) && !/^\d{1,4}$/.test(value))
      continue;
    seen.add(name);
    kept.push(` ${name}="${escapeHtml(value)}"`);
  }
  return kept.join("");
}

function stripControls(value: string): string {
  let out = "";
  for (const char of value) {
    const code = char.codePointAt(0) ?? 0;
    if (code > 0x1f && code !== 0x7f) out += char;
  }
  return out;
}
