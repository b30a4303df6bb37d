import type { ExtractedContent } from "./extract-content.ts";

/** A run of text as pdf.js's getTextContent() gives it (the fields llmux reads). */
export interface PdfTextItem {
  str: string;
  /** [a, b, c, d, e, f]: the text's matrix; (e, f) is the baseline start, |(c, d)| the font size. */
  transform: number[];
  width: number;
  height: number;
  /** The text ends a line. */
  hasEOL?: boolean;
  /** Set in a monospaced font (pdf.js's style for the item's font says "monospace"). */
  mono?: boolean;
}

export interface PdfPageText {
  items: PdfTextItem[];
  /** The page's height in points (for running headers and footers). */
  height: number;
}

/** The document information dictionary's fields llmux shows. */
export interface PdfInfo {
  title?: string | null;
  author?: string | null;
  /** A PDF date: "D:YYYYMMDDHHmmSSOHH'mm'" (any tail may be missing). */
  created?: string | null;
  lang?: string | null;
}

/** Documents this long or longer get a page marker before the first paragraph of each page. */
export const PAGE_MARKERS_FROM = 3;

interface Line {
  text: string;
  size: number;
  /** Left edge and baseline, in points from the page's bottom-left corner. */
  x: number;
  y: number;
  right: number;
  page: number;
  pageHeight: number;
  /** All of it in a monospaced font: code. */
  mono: boolean;
}

type Block =
  | { type: "heading"; size: number; text: string; page: number }
  | { type: "paragraph"; text: string; page: number; list: boolean }
  | { type: "code"; text: string; page: number };

const round = (size: number) => Math.round(size * 2) / 2;

/** Splits a page's text runs into lines: a new line at each end-of-line mark or baseline change. */
function pageLines(page: PdfPageText, number: number): Line[] {
  const lines: Line[] = [];
  let parts: string[] = [];
  let chars = new Map<number, number>();
  let x = 0;
  let y = 0;
  let right = 0;
  let size = 0;
  let mono = true;
  const flush = () => {
    const text = parts.join("").replace(/\s+/g, " ").trim();
    if (text) {
      // The line's size is the one most of its characters have.
      const main = [...chars].sort((a, b) => b[1] - a[1])[0]?.[0] ?? size;
      lines.push({ text, size: main, x, y, right, page: number, pageHeight: page.height, mono });
    }
    parts = [];
    chars = new Map();
    mono = true;
  };
  for (const item of page.items) {
    const [, , c = 0, d = 0, e = 0, f = 0] = item.transform;
    const itemSize = round(Math.hypot(c, d) || Math.abs(item.height));
    if (item.str.trim() !== "") {
      if (parts.length > 0 && Math.abs(f - y) > 0.5 * Math.max(itemSize, size)) flush();
      if (parts.length === 0) {
        x = e;
        y = f;
        right = e;
        size = itemSize;
      } else if (e - right > 0.2 * itemSize && !/\s$/.test(parts.at(-1) ?? "") && !/^\s/.test(item.str)) {
        parts.push(" ");
      }
      parts.push(item.str);
      mono &&= item.mono === true;
      x = Math.min(x, e);
      right = Math.max(right, e + item.width);
      chars.set(itemSize, (chars.get(itemSize) ?? 0) + item.str.length);
    } else if (parts.length > 0 && item.str !== "") {
      parts.push(" ");
    }
    if (item.hasEOL) flush();
  }
  flush();
  return lines;
}

const PAGE_NUMBER = /^(?:page\s+)?[-–(]?\s*(?:\d{1,4}|[ivxlcdm]{1,7})\s*[-–)]?(?:\s*(?:of|\/)\s*\d{1,4})?$/i;

/** At the top or bottom eighth of its page, where running headers and footers sit. */
const inMargin = (line: Line) => line.y < line.pageHeight / 8 || line.y > (line.pageHeight * 7) / 8;

/**
 * Drops page numbers and running headers and footers: lines in a page's top or bottom margin
 * that are a page number, or whose text (digits aside) repeats in the margins of a fifth of the
 * pages or more (three at least; running headers change with chapters and alternate sides),
 * unless set larger than the body (a heading at the top of each page: "Chapter 2").
 */
function dropRunningLines(pages: Line[][]): Line[][] {
  const body = bodySize(pages.flat());
  const key = (line: Line) => line.text.toLowerCase().replace(/\d+/g, "#");
  const seen = new Map<string, number>();
  for (const lines of pages) {
    for (const k of new Set(lines.filter(inMargin).map(key))) seen.set(k, (seen.get(k) ?? 0) + 1);
  }
  const repeats = (line: Line) =>
    pages.length >= 3 &&
    line.size < body * 1.15 &&
    (seen.get(key(line)) ?? 0) >= Math.max(3, pages.length / 5);
  return pages.map((lines) =>
    lines.filter((line) => !(inMargin(line) && (PAGE_NUMBER.test(line.text) || repeats(line)))),
  );
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

/** The body text's font size: the size most characters have. */
function bodySize(lines: Line[]): number {
  const chars = new Map<number, number>();
  for (const line of lines) chars.set(line.size, (chars.get(line.size) ?? 0) + line.text.length);
  return [...chars].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 0;
}

/** A table of contents line: dot leaders, then a page number. */
const CONTENTS_LINE = /(?:\.\s?){3,}\s*\d+$/;
const BULLET = /^[•◦▪▫‣●○■□·∙*–—-]\s+/;
const LIST_ITEM = /^(?:[•◦▪▫‣●○■□·∙*–—-]|\(?(?:\d{1,3}|[a-z])[.)])\s+/i;
const ENDS_SENTENCE = /[.!?:;"”’)\]]$/;

function joinLines(text: string, next: string): string {
  // A word broken at the end of a line: "exam-" + "ple".
  if (/\p{L}-$/u.test(text) && /^\p{Ll}/u.test(next)) return `${text.slice(0, -1)}${next}`;
  return `${text} ${next}`;
}

/**
 * Groups lines into headings and paragraphs. A heading is a short run of at most three lines
 * set clearly larger than the body (15 % and 1 pt or more); a paragraph ends at a vertical gap
 * wider than the usual line spacing, a change of size, a list item, a jump back up the page (a
 * new column), or a short line ending a sentence. A paragraph may run on across a page break.
 */
function toBlocks(pages: Line[][]): Block[] {
  const all = pages.flat();
  const body = bodySize(all);
  const spacings: number[] = [];
  const rights: number[] = [];
  for (const lines of pages) {
    lines.forEach((line, i) => {
      if (line.size !== body) return;
      rights.push(line.right);
      const prev = lines[i - 1];
      const gap = prev ? prev.y - line.y : 0;
      if (prev?.size === body && gap > 0 && gap < 2.5 * body) spacings.push(gap);
    });
  }
  const spacing = median(spacings) || body * 1.2;
  const fullRight = [...rights].sort((a, b) => a - b)[Math.floor(rights.length * 0.9)] ?? 0;
  const isLarge = (line: Line) =>
    line.size >= body * 1.15 && line.size - body >= 1 && /\p{L}/u.test(line.text) && line.text.length <= 200;

  const blocks: Block[] = [];
  let i = 0;
  while (i < all.length) {
    const line = all[i]!;
    if (line.mono && !isLarge(line)) {
      // Code: consecutive monospaced lines, each kept as it is.
      let end = i + 1;
      while (end < all.length && all[end]!.mono && !isLarge(all[end]!)) end++;
      const text = all
        .slice(i, end)
        .map((l) => l.text)
        .join("\n");
      blocks.push({ type: "code", text, page: line.page });
      i = end;
      continue;
    }
    if (isLarge(line)) {
      // A run of lines of this size, each close below the one before, on one page.
      let end = i + 1;
      while (
        end < all.length &&
        all[end]!.size === line.size &&
        all[end]!.page === line.page &&
        all[end - 1]!.y - all[end]!.y > 0 &&
        all[end - 1]!.y - all[end]!.y < 2 * line.size
      )
        end++;
      const text = all
        .slice(i, end)
        .map((l) => l.text)
        .reduce(joinLines);
      if (end - i <= 3 && text.split(" ").length <= 25) {
        blocks.push({ type: "heading", size: line.size, text, page: line.page });
      } else {
        blocks.push({ type: "paragraph", text, page: line.page, list: false });
      }
      i = end;
      continue;
    }
    let text = line.text.replace(BULLET, "- ");
    const list = LIST_ITEM.test(line.text);
    let prev = line;
    i++;
    while (i < all.length) {
      const next = all[i]!;
      if (next.mono || isLarge(next) || LIST_ITEM.test(next.text) || CONTENTS_LINE.test(prev.text)) break;
      if (Math.abs(next.size - prev.size) >= 1) break;
      if (next.page === prev.page) {
        const gap = prev.y - next.y;
        if (gap <= 0 || gap > spacing * 1.3 + 0.5) break;
        if (ENDS_SENTENCE.test(prev.text) && prev.right < fullRight - 4 * body) break;
        // An indented first line starts a paragraph (except under a list item's first line).
        if (!list && next.x - prev.x > 0.8 * body) break;
      } else if (ENDS_SENTENCE.test(prev.text) || prev.right < fullRight - 4 * body) {
        break;
      }
      text = joinLines(text, next.text);
      prev = next;
      i++;
    }
    blocks.push({ type: "paragraph", text, page: line.page, list });
  }
  return blocks;
}

const normalize = (text: string) => text.toLowerCase().replace(/\s+/g, " ").trim();

/** The information dictionary's title, unless it is a file name or a word processor's placeholder. */
function cleanTitle(title: string | null | undefined): string {
  const text = (title ?? "")
    .replace(/^Microsoft (?:Word|PowerPoint|Excel) - /i, "")
    .replace(/\.(?:docx?|pdf|pptx?|xlsx?|odt|rtf|tex|indd)$/i, "")
    .trim();
  if (!text || /^(?:untitled|document\d*|presentation\d*|slide \d+|title)$/i.test(text)) return "";
  return text;
}

/** "D:20240501120000+02'00'" → "2024-05-01T10:00:00.000Z"; a date alone → "2024-05-01". */
export function pdfDate(value: string | null | undefined): string | null {
  const m =
    /^(?:D:)?(\d{4})(\d{2})?(\d{2})?(?:(\d{2})(\d{2})(\d{2})?(?:([Zz+-])(\d{2})?'?(\d{2})?'?)?)?/.exec(
      value?.trim() ?? "",
    );
  if (!m) return null;
  const [, year, month = "01", day = "01", hour, minute, second = "00", sign, offH = "00", offM = "00"] = m;
  if (hour === undefined) return m[2] ? `${year}-${month}-${day}` : (year ?? null);
  const utc = Date.UTC(
    Number(year),
    Number(month) - 1,
    Number(day),
    Number(hour),
    Number(minute),
    Number(second),
  );
  const offset = (sign === "-" ? -1 : sign === "+" ? 1 : 0) * (Number(offH) * 60 + Number(offM)) * 60_000;
  const date = new Date(utc - offset);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

function fence(code: string): string {
  const longestRun = Math.max(2, ...(code.match(/`+/g) ?? []).map((run) => run.length));
  const marks = "`".repeat(longestRun + 1);
  return `${marks}\n${code}\n${marks}`;
}

function escapeStart(text: string): string {
  return text.replace(/^([#>=+]|\d+\.(?=\s)|[-*](?=\s))/, "\\$1");
}

/**
 * Markdown of a PDF's text layer: "# title", an author · date line when known, then headings
 * (by font size, largest first: ##, ###, ####…), paragraphs, list items and code (lines in a
 * monospaced font, fenced). A document of
 * PAGE_MARKERS_FROM pages or more has an HTML comment `<!-- page N -->` before the first
 * paragraph or heading that starts on page N (paragraphs are not cut at page breaks), and
 * `<!-- page N: no text -->` for a page without any.
 * The title is the information dictionary's, or else the first heading on page 1, or else the
 * first line (then not repeated as a heading).
 * Returns null when no page has any text but page numbers and running headers (a scan).
 */
export function layoutPdf(pages: PdfPageText[], info: PdfInfo = {}): Omit<ExtractedContent, "kind"> | null {
  const lines = dropRunningLines(pages.map((page, i) => pageLines(page, i + 1)));
  // No text, or only page numbers and running headers (a scan stamped by its scanner).
  if (lines.every((page) => page.length === 0)) return null;
  const blocks = toBlocks(lines);
  let title = cleanTitle(info.title);
  let titled = title !== "";
  const first = blocks[0];
  if (first?.type === "heading" && (titled ? normalize(first.text) === normalize(title) : first.page === 1)) {
    title ||= first.text;
    titled = true;
    blocks.shift();
  }
  const sizes = [...new Set(blocks.flatMap((b) => (b.type === "heading" ? [b.size] : [])))].sort(
    (a, b) => b - a,
  );
  const level = (size: number) => Math.min(6, sizes.indexOf(size) + 2);

  const markers = pages.length >= PAGE_MARKERS_FROM;
  const out: string[] = [];
  const text: string[] = [];
  let marked = 1;
  // A page whose text all belongs to a paragraph begun on an earlier page gets no marker of its own.
  const markTo = (page: number, starts = true) => {
    for (; markers && marked < page; ) {
      marked++;
      if (lines[marked - 1]?.length === 0) out.push(`<!-- page ${marked}: no text -->`);
      else if (marked === page && starts) out.push(`<!-- page ${marked} -->`);
    }
  };
  for (const block of blocks) {
    markTo(block.page);
    if (block.type === "heading") out.push(`${"#".repeat(level(block.size))} ${block.text}`);
    else if (block.type === "code") out.push(fence(block.text));
    else out.push(block.list ? block.text : escapeStart(block.text));
    text.push(block.text);
  }
  markTo(pages.length, false);

  if (!title) title = (blocks[0]?.text ?? "").slice(0, 200);
  const published = pdfDate(info.created);
  const author = info.author?.trim() || null;
  const header = [titled ? `# ${title}` : "", [author, published].filter(Boolean).join(" · ")];
  const body = text.join("\n\n");
  return {
    title,
    byline: author,
    published,
    lang: info.lang?.trim() || null,
    markdown: [...header, ...out].filter(Boolean).join("\n\n"),
    text: body,
    wordCount: body.match(/[\p{L}\p{N}_]+/gu)?.length ?? 0,
  };
}
