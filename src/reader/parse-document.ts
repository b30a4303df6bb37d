import { parseHTML } from "linkedom";

// Scripts, styles and templates never hold readable text; dropping them before parsing makes
// parsing faster and avoids parser trouble with odd CSS. style="" attributes stay: Readability
// uses them to drop hidden elements. JSON-LD stays: it carries the byline and date.
const NON_CONTENT = /<(script|style|template)\b(?![^>]*ld\+json)[^>]*>[\s\S]*?<\/\1\s*>/gi;

/**
 * Parses HTML into a linkedom Document with a usable <body>: linkedom keeps content that
 * appears outside <body> (after </body>, or stray text before it) as siblings of the body,
 * where Readability never looks, so it is moved in.
 */
export function parseDocument(html: string): Document {
  const cleaned = html.replace(NON_CONTENT, "");
  const wrapped = /<html[\s>]/i.test(cleaned)
    ? cleaned
    : `<!doctype html><html><body>${cleaned}</body></html>`;
  const { document } = parseHTML(wrapped);
  const root = document.documentElement;
  let body = document.body;
  if (!body) {
    body = document.createElement("body");
    root.appendChild(body);
  }
  const firstInBody = body.firstChild;
  let afterBody = false;
  for (const node of [...root.childNodes]) {
    if (node === body) afterBody = true;
    if (node === body || (node as Element).localName === "head") continue;
    if (node.nodeType !== 1 && !(node.nodeType === 3 && node.textContent?.trim())) continue;
    if (afterBody) body.appendChild(node);
    else body.insertBefore(node, firstInBody);
  }
  return document as unknown as Document;
}
