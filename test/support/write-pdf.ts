// A minimal PDF writer for tests and benches: real PDF files (catalog, page tree, pages with
// Helvetica text in content streams, an xref table with exact byte offsets), small enough to
// check by eye. No PDF library is installed, and these files only need what pdf.js reads.

/** One line of text: drawn at (x, y) in points from the page's bottom-left corner. */
export interface PdfLine {
  text: string;
  /** Font size in points. Default 11. */
  size?: number;
  /** Default 72 (one inch from the left). */
  x?: number;
  y: number;
  bold?: boolean;
}

export interface PdfPage {
  lines?: PdfLine[];
  /** Draw a 2×2 grey image over the page, as a scanner would (and no text). */
  image?: boolean;
}

export interface WritePdfOptions {
  /** /Title in the document information dictionary. */
  title?: string;
  author?: string;
  /** PDF date, e.g. "D:20240501120000Z". */
  created?: string;
  /**
   * Adds a standard security handler whose user password is not empty: readers must ask for a
   * password (the keys are not real, nothing is encrypted: pdf.js stops at the password check).
   */
  passwordProtected?: boolean;
}

const PAGE_WIDTH = 612;
const PAGE_HEIGHT = 792;

/** A PDF literal string: backslash, parentheses and non-ASCII escaped (WinAnsi for Latin-1). */
function pdfString(text: string): string {
  let out = "(";
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (char === "\\" || char === "(" || char === ")") out += `\\${char}`;
    else if (code >= 0x20 && code < 0x7f) out += char;
    else if (code <= 0xff) out += `\\${code.toString(8).padStart(3, "0")}`;
    else out += "?";
  }
  return `${out})`;
}

function contentStream(page: PdfPage): string {
  const ops: string[] = [];
  if (page.image) ops.push(`q ${PAGE_WIDTH} 0 0 ${PAGE_HEIGHT} 0 0 cm /Im1 Do Q`);
  for (const line of page.lines ?? []) {
    const font = line.bold ? "F2" : "F1";
    ops.push(`BT /${font} ${line.size ?? 11} Tf ${line.x ?? 72} ${line.y} Td ${pdfString(line.text)} Tj ET`);
  }
  return ops.join("\n");
}

/**
 * The bytes of a PDF with the given pages. Objects: 1 catalog, 2 page tree, 3 and 4 the fonts
 * (Helvetica, Helvetica-Bold), 5 the information dictionary, 6 the scan image, then a page and
 * its content stream per page.
 */
export function writePdf(pages: PdfPage[], options: WritePdfOptions = {}): Buffer {
  const objects: string[] = [];
  const pageIds = pages.map((_, i) => 7 + i * 2);
  objects[1] = "<< /Type /Catalog /Pages 2 0 R >>";
  objects[2] = `<< /Type /Pages /Kids [${pageIds.map((id) => `${id} 0 R`).join(" ")}] /Count ${pages.length} >>`;
  objects[3] = "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>";
  objects[4] = "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>";
  const info = [
    options.title === undefined ? "" : `/Title ${pdfString(options.title)}`,
    options.author === undefined ? "" : `/Author ${pdfString(options.author)}`,
    options.created === undefined ? "" : `/CreationDate ${pdfString(options.created)}`,
    "/Producer (llmux test writer)",
  ];
  objects[5] = `<< ${info.filter(Boolean).join(" ")} >>`;
  const pixels = "\x80\xc0\xc0\x80";
  objects[6] =
    `<< /Type /XObject /Subtype /Image /Width 2 /Height 2 /ColorSpace /DeviceGray /BitsPerComponent 8 /Length ${pixels.length} >>\n` +
    `stream\n${pixels}\nendstream`;
  pages.forEach((page, i) => {
    const id = pageIds[i]!;
    const stream = contentStream(page);
    objects[id] =
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${PAGE_WIDTH} ${PAGE_HEIGHT}] ` +
      `/Resources << /Font << /F1 3 0 R /F2 4 0 R >> /XObject << /Im1 6 0 R >> >> /Contents ${id + 1} 0 R >>`;
    objects[id + 1] = `<< /Length ${Buffer.byteLength(stream, "latin1")} >>\nstream\n${stream}\nendstream`;
  });
  let encrypt = "";
  if (options.passwordProtected) {
    const id = objects.length;
    const key = `<${"5a".repeat(32)}>`;
    objects[id] = `<< /Filter /Standard /V 1 /R 2 /O ${key} /U ${key} /P -4 >>`;
    encrypt = ` /Encrypt ${id} 0 R /ID [<0123456789abcdef0123456789abcdef> <0123456789abcdef0123456789abcdef>]`;
  }

  // %PDF header, then a comment of high bytes: the file is binary (as the spec recommends).
  let out = "%PDF-1.4\n%\xe2\xe3\xcf\xd3\n";
  const offsets: number[] = [];
  for (let id = 1; id < objects.length; id++) {
    offsets[id] = Buffer.byteLength(out, "latin1");
    out += `${id} 0 obj\n${objects[id]}\nendobj\n`;
  }
  const xref = Buffer.byteLength(out, "latin1");
  out += `xref\n0 ${objects.length}\n0000000000 65535 f \n`;
  for (let id = 1; id < objects.length; id++) out += `${String(offsets[id]).padStart(10, "0")} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length} /Root 1 0 R /Info 5 0 R${encrypt} >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, "latin1");
}

const WORDS =
  "the river ran cold and clear past the old mill where hydrologists measured its flow every morning at dawn before the town woke".split(
    " ",
  );

/** A sentence of `words` words from a fixed vocabulary, different for each seed. */
export function sentence(seed: number, words = 14): string {
  const out: string[] = [];
  for (let i = 0; i < words; i++) out.push(WORDS[(seed * 7 + i * 3) % WORDS.length]!);
  const text = out.join(" ");
  return `${text[0]!.toUpperCase()}${text.slice(1)}.`;
}

/**
 * A report of `pageCount` pages laid out as word processors do: a 24 pt title on the first
 * page, a 16 pt section heading at the top of every page, then 11 pt body lines wrapped at about
 * 80 characters in paragraphs a blank line apart, and a page number at the foot of each page.
 */
export function reportPages(pageCount: number, options: { paragraphs?: number } = {}): PdfPage[] {
  const pages: PdfPage[] = [];
  for (let p = 1; p <= pageCount; p++) {
    const lines: PdfLine[] = [];
    let y = 720;
    if (p === 1) {
      lines.push({ text: "River Report", size: 24, y, bold: true });
      y -= 40;
    }
    lines.push({ text: `Section ${p}: Measurements`, size: 16, y, bold: true });
    y -= 28;
    for (let n = 0; n < (options.paragraphs ?? 3); n++) {
      const words = [sentence(p * 10 + n), sentence(p * 10 + n + 1), sentence(p * 10 + n + 2)].join(" ");
      for (const line of wrap(words, 80)) {
        lines.push({ text: line, size: 11, y });
        y -= 14;
      }
      y -= 10;
    }
    lines.push({ text: String(p), size: 9, x: 300, y: 40 });
    pages.push({ lines });
  }
  return pages;
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    if (line && line.length + word.length + 1 > width) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(line);
  return lines;
}
