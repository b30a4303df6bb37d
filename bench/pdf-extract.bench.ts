// PDF pages per second: llmux's extraction (pdf.js text layer → headings, paragraphs, page
// markers as Markdown) against pdf.js's own plain text extraction (getTextContent(), the
// items' strings joined), same files, same run; then llmux's through the worker pool, as
// readPage runs it.
//   node --import tsx bench/pdf-extract.bench.ts [rounds=5] [pages=200] [more.pdf ...]
// The main file is a report of `pages` pages written by test/support/write-pdf.ts (a title, a
// heading and three paragraphs of wrapped lines per page, page numbers); PDFs named after the
// numbers are measured too. CPU-bound; run it on an otherwise idle machine.
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { performance } from "node:perf_hooks";
import { extractPdfInWorker } from "../src/reader/extract-in-worker.ts";
import { extractPdf } from "../src/reader/extract-pdf.ts";
import { reportPages, writePdf } from "../test/support/write-pdf.ts";

const [roundsArg, pagesArg, ...more] = process.argv.slice(2);
const rounds = Number(roundsArg ?? 5);
const pageCount = Number(pagesArg ?? 200);
const files: Array<{ name: string; bytes: Uint8Array }> = [
  {
    name: `generated report, ${pageCount} pages`,
    bytes: writePdf(reportPages(pageCount), { title: "Bench" }),
  },
  ...more.map((path) => ({ name: basename(path), bytes: readFileSync(path) })),
];

const pdfjs = await import("pdfjs-dist/legacy/build/pdf.mjs");
const copy = (bytes: Uint8Array) => new Uint8Array(bytes); // pdf.js may keep or detach what it is given

/** pdf.js's own text extraction: each page's text items, their strings joined. */
async function plainPdfJs(bytes: Uint8Array): Promise<number> {
  const doc = await pdfjs.getDocument({ data: copy(bytes), verbosity: 0, isEvalSupported: false }).promise;
  let chars = 0;
  for (let n = 1; n <= doc.numPages; n++) {
    const page = await doc.getPage(n);
    const content = await page.getTextContent();
    chars += content.items.map((item) => ("str" in item ? item.str : "")).join(" ").length;
    page.cleanup();
  }
  const pages = doc.numPages;
  await doc.destroy();
  return chars > 0 ? pages : 0;
}

async function pagesOf(bytes: Uint8Array): Promise<number> {
  const doc = await pdfjs.getDocument({ data: copy(bytes), verbosity: 0 }).promise;
  const pages = doc.numPages;
  await doc.destroy();
  return pages;
}

const extractors: Record<string, (bytes: Uint8Array) => Promise<unknown>> = {
  "pdf.js getTextContent (plain text)": plainPdfJs,
  "llmux extractPdf (Markdown)": (bytes) => extractPdf(copy(bytes)),
  "llmux extractPdfInWorker (worker pool)": (bytes) =>
    extractPdfInWorker(copy(bytes), { deadlineMs: 600_000 }),
};

for (const file of files) {
  const pages = await pagesOf(file.bytes);
  console.log(`${file.name}: ${pages} pages, ${(file.bytes.length / 1024).toFixed(0)} KB, ${rounds} rounds`);
  const times: Record<string, number[]> = Object.fromEntries(
    Object.keys(extractors).map((name) => [name, []]),
  );
  // Warm up (module loads, JIT, the worker's start), then the extractors take turns each round,
  // so that a slower stretch of the machine falls on all of them alike.
  for (const extract of Object.values(extractors)) await extract(file.bytes);
  for (let round = 0; round < rounds; round++) {
    for (const [name, extract] of Object.entries(extractors)) {
      const started = performance.now();
      await extract(file.bytes);
      times[name]?.push(performance.now() - started);
    }
  }
  const perSecond: Record<string, number> = {};
  for (const [name, list] of Object.entries(times)) {
    const median = list.sort((a, b) => a - b)[Math.floor(list.length / 2)] ?? 0;
    perSecond[name] = pages / (median / 1000);
    console.log(
      `  ${name.padEnd(40)} ${perSecond[name].toFixed(0).padStart(6)} pages/s  (median ${median.toFixed(0)} ms)`,
    );
  }
  const ratio =
    (perSecond["llmux extractPdf (Markdown)"] ?? 0) / (perSecond["pdf.js getTextContent (plain text)"] ?? 1);
  console.log(`  llmux / pdf.js plain text: ${ratio.toFixed(2)}x`);
}
