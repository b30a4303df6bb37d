import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { layoutPdf, type PdfPageText, type PdfTextItem, pdfDate } from "./pdf-layout.ts";

interface At {
  x?: number;
  size?: number;
  mono?: boolean;
}

/** One line as pdf.js gives it: a run of text, then an end-of-line mark. */
function line(text: string, y: number, { x = 72, size = 11, mono = false }: At = {}): PdfTextItem[] {
  return [
    { str: text, transform: [size, 0, 0, size, x, y], width: text.length * size * 0.5, height: size, mono },
    { str: "", transform: [size, 0, 0, size, x, y], width: 0, height: 0, hasEOL: true },
  ];
}

/** Body lines 14 pt apart from `top` down, wrapped where a word processor would (78 characters). */
function body(top: number, ...texts: string[]): PdfTextItem[] {
  return texts.flatMap((text, i) => line(text, top - i * 14));
}

const page = (...items: PdfTextItem[][]): PdfPageText => ({ items: items.flat(), height: 792 });
const FULL = "x".repeat(78);

describe("layoutPdf", () => {
  test("lines join into paragraphs; a wider gap, an indented first line or a short last line ends one", () => {
    const out = layoutPdf([
      page(
        body(700, `The river ran cold ${FULL}`, "and clear past the mill."),
        body(
          662,
          `Every morning the hydrol- ${FULL}`,
          "ogists measured its flow at dawn.",
          "A third paragraph follows",
        ),
        line(`   Indented ${FULL}`, 620, { x: 90 }),
        line("begins a fourth.", 606),
      ),
    ]);
    assert.ok(out);
    assert.deepEqual(out.text.split("\n\n"), [
      `The river ran cold ${FULL} and clear past the mill.`,
      `Every morning the hydrol- ${FULL} ogists measured its flow at dawn.`,
      "A third paragraph follows",
      `Indented ${FULL} begins a fourth.`,
    ]);
  });

  test("a word broken at the end of a line is joined", () => {
    const out = layoutPdf([page(body(700, "The hydrol-", "ogists measured the well-", "known river."))]);
    assert.equal(out?.text, "The hydrologists measured the wellknown river.");
  });

  test("headings by size: a clearly larger run of at most three lines; the largest first-page one is the title", () => {
    const out = layoutPdf([
      page(
        line("Annual Report", 740, { size: 24 }),
        line("Rivers of the", 700, { size: 16 }),
        line("Northern Valleys", 682, { size: 16 }),
        body(660, "Body text of the first section.", "More of it."),
        line("Methods", 620, { size: 13 }),
        body(600, "We measured."),
        line("Slightly larger is not a heading", 580, { size: 11.5 }),
      ),
    ]);
    assert.equal(out?.title, "Annual Report");
    assert.equal(
      out?.markdown,
      [
        "# Annual Report",
        "## Rivers of the Northern Valleys",
        "Body text of the first section. More of it.",
        "### Methods",
        "We measured.",
        "Slightly larger is not a heading",
      ].join("\n\n"),
    );
  });

  test("the information dictionary's title comes first; a placeholder one is ignored", () => {
    const pages = [page(line("Intro", 700, { size: 16 }), body(680, "The body text."))];
    assert.equal(
      layoutPdf(pages, { title: "Field Guide" })?.markdown,
      "# Field Guide\n\n## Intro\n\nThe body text.",
    );
    const placeholder = layoutPdf(pages, { title: "Microsoft Word - Document1.docx" });
    assert.equal(placeholder?.title, "Intro");
    assert.equal(placeholder?.markdown, "# Intro\n\nThe body text.");
    // No heading and no title: the first line names the document, not repeated as a heading.
    const plain = layoutPdf([page(body(700, "Just a note.", "Two lines."))]);
    assert.equal(plain?.title, "Just a note. Two lines.");
    assert.equal(plain?.markdown, "Just a note. Two lines.");
  });

  test("list items, code in a monospaced font, and Markdown characters at a paragraph's start", () => {
    const out = layoutPdf([
      page(
        body(700, "Steps:"),
        line("• Walk to the mill", 686),
        line("and wait for dawn.", 672, { x: 84 }),
        line("• Read the gauge.", 658),
        line("river --measure", 640, { mono: true }),
        line("  --at dawn", 628, { mono: true }),
        body(610, "# of readings: 12"),
      ),
    ]);
    assert.deepEqual(out?.markdown.split("\n\n"), [
      "Steps:",
      "- Walk to the mill and wait for dawn.",
      "- Read the gauge.",
      "```\nriver --measure\n--at dawn\n```",
      "\\# of readings: 12",
    ]);
  });

  test("page numbers and running headers go; page markers from three pages; a paragraph runs over a page break", () => {
    const pages = [1, 2, 3].map((n) =>
      page(
        line(`Annual Report ${2024} · Chapter ${n}`, 760, { size: 9 }),
        n === 2 ? body(700, `continued from the page before ${FULL}`, "End.") : body(700, `Page ${n} text.`),
        n === 1 ? line(`A paragraph cut by the page ${FULL}`, 100) : [],
        line(String(n), 40, { x: 300, size: 9 }),
      ),
    );
    const out = layoutPdf(pages);
    assert.deepEqual(out?.markdown.split("\n\n"), [
      "Page 1 text.",
      `A paragraph cut by the page ${FULL} continued from the page before ${FULL} End.`,
      "<!-- page 3 -->",
      "Page 3 text.",
    ]);
    // Two pages: no markers.
    assert.doesNotMatch(layoutPdf(pages.slice(0, 2))?.markdown ?? "", /<!--/);
  });

  test("a page without text gets its marker, said so; a document without any is null", () => {
    const out = layoutPdf([page(body(700, "One.")), page(), page(body(700, "Three."))]);
    assert.equal(out?.markdown, "One.\n\n<!-- page 2: no text -->\n\n<!-- page 3 -->\n\nThree.");
    assert.equal(layoutPdf([page(), page()]), null);
    // Page numbers alone are no text layer either (a scan its scanner numbered).
    assert.equal(layoutPdf([page(line("1", 40, { x: 300 })), page(line("2", 40, { x: 300 }))]), null);
  });

  test("author, date and language from the document's information", () => {
    const out = layoutPdf([page(body(700, "Text."))], {
      author: "Ann Hydro",
      created: "D:20240501120000Z",
      lang: "en-GB",
    });
    assert.equal(out?.byline, "Ann Hydro");
    assert.equal(out?.published, "2024-05-01T12:00:00.000Z");
    assert.equal(out?.lang, "en-GB");
    assert.match(out?.markdown ?? "", /^Ann Hydro · 2024-05-01T12:00:00\.000Z\n\nText\.$/);
  });
});

describe("pdfDate", () => {
  test("reads PDF dates with and without time and offset", () => {
    assert.equal(pdfDate("D:20240501120000+02'00'"), "2024-05-01T10:00:00.000Z");
    assert.equal(pdfDate("D:20240501120000-05'30"), "2024-05-01T17:30:00.000Z");
    assert.equal(pdfDate("D:202405011200"), "2024-05-01T12:00:00.000Z");
    assert.equal(pdfDate("D:20240501"), "2024-05-01");
    assert.equal(pdfDate("D:2024"), "2024");
    assert.equal(pdfDate("yesterday"), null);
    assert.equal(pdfDate(null), null);
  });
});
