import { LlmuxError } from "../core/errors.ts";

/**
 * Readability's work grows much faster than the page on deep nesting (1,000 nested <div>s take
 * 15 s), and Turndown recurses per level. Real pages stay far below these bounds: the 192 pages
 * of the extraction corpus nest at most 34 deep with at most 2,834 elements.
 */
const DOCUMENT_BOUNDS = { maxDepth: 200, maxElements: 100_000 } as const;

/** Refuses a parsed page nested deeper or holding more elements than any article needs. */
export function checkDocumentBounds(doc: Document, bounds = DOCUMENT_BOUNDS): void {
  let elements = 0;
  // Iterative, so a hostile depth cannot overflow the stack here either.
  const stack: Array<[Element, number]> = [[doc.documentElement, 1]];
  while (stack.length > 0) {
    const [element, depth] = stack.pop()!;
    elements++;
    if (depth > bounds.maxDepth || elements > bounds.maxElements) {
      const what =
        depth > bounds.maxDepth
          ? `nests elements more than ${bounds.maxDepth} deep`
          : `has more than ${bounds.maxElements.toLocaleString("en")} elements`;
      throw new LlmuxError("page_too_complex", `The page ${what}, far beyond any article`, {
        hint: "It cannot be read safely; try another page or its print version",
      });
    }
    for (const child of element.children) stack.push([child, depth + 1]);
  }
}
