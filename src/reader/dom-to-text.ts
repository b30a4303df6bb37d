// Same block rules as the corpus scorer's htmltext.mjs, so `text` has the paragraph breaks a
// reader expects and scores reflect what was extracted, not how tags were flattened.
const BLOCK = new Set([
  "address",
  "article",
  "aside",
  "blockquote",
  "body",
  "br",
  "caption",
  "center",
  "dd",
  "details",
  "dialog",
  "div",
  "dl",
  "dt",
  "fieldset",
  "figcaption",
  "figure",
  "footer",
  "form",
  "h1",
  "h2",
  "h3",
  "h4",
  "h5",
  "h6",
  "header",
  "hgroup",
  "hr",
  "li",
  "main",
  "nav",
  "ol",
  "option",
  "p",
  "pre",
  "section",
  "summary",
  "table",
  "tbody",
  "td",
  "tfoot",
  "th",
  "thead",
  "tr",
  "ul",
]);
const SKIP = new Set(["script", "style", "noscript", "template", "head", "title", "meta", "link"]);

/** Collapses runs of spaces, trims lines, keeps at most one blank line between paragraphs. */
function normalizeText(text: string): string {
  return text
    .replace(/\r\n?/g, "\n")
    .replace(/[^\S\n]+/g, " ")
    .split("\n")
    .map((line) => line.trim())
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

/** Plain text of a DOM node with a line break around every block element. */
export function domToText(root: Node): string {
  const out: string[] = [];
  // Iterative: real pages nest deeper than the call stack likes.
  const stack: Array<[Node, boolean]> = [[root, false]];
  for (let item = stack.pop(); item; item = stack.pop()) {
    const [node, closing] = item;
    if (closing) {
      out.push("\n");
      continue;
    }
    const type = node.nodeType;
    if (type === 3 || type === 4) {
      out.push((node as CharacterData).data);
      continue;
    }
    if (type !== 1 && type !== 9 && type !== 11) continue;
    let isBlock = false;
    if (type === 1) {
      const tag = (node as Element).localName.toLowerCase();
      if (SKIP.has(tag)) continue;
      isBlock = BLOCK.has(tag);
      if (isBlock) out.push("\n");
      if (tag === "td" || tag === "th") out.push(" ");
    }
    if (isBlock) stack.push([node, true]);
    const kids = node.childNodes;
    for (let i = kids.length - 1; i >= 0; i--) {
      const kid = kids[i];
      if (kid) stack.push([kid, false]);
    }
  }
  return normalizeText(out.join(""));
}
