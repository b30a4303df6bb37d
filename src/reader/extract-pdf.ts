// PDF text extraction with pdf.js (Mozilla's PDF library, its Node build), in the extraction
// worker thread: loaded on the first PDF only, so nothing else pays for it.
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { LlmuxError } from "../core/errors.ts";
import type { ExtractedContent } from "./extract-content.ts";
import { layoutPdf, type PdfPageText, type PdfTextItem } from "./pdf-layout.ts";

type PdfJs = typeof import("pdfjs-dist/legacy/build/pdf.mjs");

let loading: Promise<{ pdfjs: PdfJs; assets: string }> | undefined;

/**
 * pdf.js in Node has no worker of its own: its "worker" code runs in the calling thread (ours
 * is already a worker thread). Registering the worker module as `globalThis.pdfjsWorker`, as
 * pdf.js documents for running without a worker, makes that explicit instead of leaving pdf.js
 * to import it from a path relative to its own file.
 */
function loadPdfJs(): Promise<{ pdfjs: PdfJs; assets: string }> {
  loading ??= (async () => {
    // pdf.js warns on the console at import when the optional canvas package is missing (it
    // only matters for rendering); a warning on stderr would end up in a CLI's output.
    const warn = console.warn;
    console.warn = () => {};
    try {
      // A specifier in a variable: the worker module ships no type declarations.
      const workerModule = "pdfjs-dist/legacy/build/pdf.worker.mjs";
      (globalThis as { pdfjsWorker?: unknown }).pdfjsWorker = await import(workerModule);
      const pdfjs = await import("pdfjs-dist/legacy/build/pdf.mjs");
      const assets = dirname(createRequire(import.meta.url).resolve("pdfjs-dist/package.json"));
      return { pdfjs, assets };
    } finally {
      console.warn = warn;
    }
  })();
  return loading;
}

/** What pdf.js's errors mean to a reader: a password, or a file that is not a (whole) PDF. */
function toReadError(error: unknown): unknown {
  const name = (error as { name?: string } | null)?.name;
  if (name === "PasswordException") {
    return new LlmuxError("unsupported_content", "This PDF is protected by a password", {
      hint: "llmux does not open protected PDFs; save an unprotected copy and read that",
      cause: error,
    });
  }
  if (name === "InvalidPDFException" || name === "FormatError" || name === "UnknownErrorException") {
    return new LlmuxError(
      "nothing_extracted",
      `This PDF is damaged or not a PDF (${(error as Error).message})`,
      {
        hint: "open it in a PDF viewer to check; a download cut short gives this too",
        cause: error,
      },
    );
  }
  return error;
}

/**
 * The text layer of a PDF as Markdown (see layoutPdf): headings from font sizes, paragraphs,
 * page markers for long documents, title and author from the document's information.
 * Throws nothing_extracted for a PDF without text (a scan: llmux does not OCR) or a damaged one,
 * unsupported_content for one that needs a password.
 */
export async function extractPdf(data: Uint8Array): Promise<ExtractedContent> {
  const { pdfjs, assets } = await loadPdfJs();
  const task = pdfjs.getDocument({
    data,
    // Errors only: pdf.js logs recoverable problems of odd files on the console otherwise.
    verbosity: pdfjs.VerbosityLevel.ERRORS,
    // No code generated from the file's fonts (pdf.js compiles glyph paths with `new Function`
    // when allowed; a crafted font once made that run the file's own script).
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    enableXfa: false,
    // For text in fonts that use one of the standard CJK encodings (their CMaps ship with pdf.js).
    cMapUrl: `${join(assets, "cmaps")}/`,
    cMapPacked: true,
    standardFontDataUrl: `${join(assets, "standard_fonts")}/`,
  });
  let doc: Awaited<typeof task.promise>;
  try {
    doc = await task.promise;
  } catch (error) {
    await task.destroy().catch(() => {});
    throw toReadError(error);
  }
  try {
    const pages: PdfPageText[] = [];
    for (let n = 1; n <= doc.numPages; n++) {
      const page = await doc.getPage(n);
      const [, bottom = 0, , top = 792] = page.view;
      const content = await page.getTextContent();
      const styles = content.styles as Record<string, { fontFamily?: string } | undefined>;
      pages.push({
        height: top - bottom,
        items: content.items.flatMap((item): PdfTextItem[] =>
          "str" in item
            ? [
                {
                  str: item.str,
                  // From the page's own corner, wherever its box starts.
                  transform: [...item.transform.slice(0, 5), (item.transform[5] ?? 0) - bottom],
                  width: item.width,
                  height: item.height,
                  hasEOL: item.hasEOL,
                  mono: styles[item.fontName]?.fontFamily === "monospace",
                },
              ]
            : [],
        ),
      });
      page.cleanup();
    }
    const { info, metadata } = await doc.getMetadata().catch(() => ({ info: {}, metadata: null }));
    const fields = info as Record<string, unknown>;
    const field = (name: string) => (typeof fields[name] === "string" ? (fields[name] as string) : null);
    const content = layoutPdf(pages, {
      title: field("Title") || metadata?.get("dc:title") || null,
      author: field("Author"),
      created: field("CreationDate"),
      lang: field("Language"),
    });
    if (!content) {
      throw new LlmuxError("nothing_extracted", "This PDF has no text layer (a scan?)", {
        hint: "llmux does not OCR; an OCR tool (such as ocrmypdf) can add the text layer first",
      });
    }
    return { ...content, kind: "pdf" };
  } catch (error) {
    throw toReadError(error);
  } finally {
    await doc.destroy().catch(() => {});
  }
}
