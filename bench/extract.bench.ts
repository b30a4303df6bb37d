// Pages per second of our extractor vs plain Readability on jsdom (the usual setup, and the
// issue's baseline) and on linkedom, same pages, same run.
//   node --import tsx bench/extract.bench.ts [rounds=2]
// Reads ../shared/corpus/dev (192 real pages). CPU-bound; run it on an otherwise idle machine.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { Readability } from "@mozilla/readability";
import { JSDOM, VirtualConsole } from "jsdom";
import { parseHTML } from "linkedom";
import { extractContent } from "../src/reader/extract-content.ts";
import { extractInWorker } from "../src/reader/extract-in-worker.ts";

const DEV = "../shared/corpus/dev";
const rounds = Number(process.argv[2] ?? 2);
const pages = readdirSync(DEV)
  .filter((name) => !name.endsWith(".json"))
  .map((name) => ({
    html: readFileSync(join(DEV, name, "page.html"), "utf8"),
    url: (JSON.parse(readFileSync(join(DEV, name, "meta.json"), "utf8")) as { url?: string }).url,
  }));

const extractors: Record<string, (html: string, url?: string) => number> = {
  "llmux extractContent (markdown + text)": (html, url) => extractContent(html, { url }).wordCount,
  "Readability + linkedom": (html) => {
    const { document } = parseHTML(html);
    return new Readability(document as unknown as Document).parse()?.textContent?.length ?? 0;
  },
  "Readability + jsdom": (html, url) => {
    // A silent console: jsdom reports every CSS it cannot parse.
    const dom = new JSDOM(html, { url: url || undefined, virtualConsole: new VirtualConsole() });
    const length = new Readability(dom.window.document).parse()?.textContent?.length ?? 0;
    dom.window.close();
    return length;
  },
};
const pagesPerSecond: Record<string, number> = {};

for (const [name, extract] of Object.entries(extractors)) {
  extract(pages[0]?.html ?? "", pages[0]?.url); // warm up the JIT a little
  let ms = 0;
  for (let round = 0; round < rounds; round++) {
    for (const { html, url } of pages) {
      const started = performance.now();
      extract(html, url);
      ms += performance.now() - started;
    }
  }
  const count = pages.length * rounds;
  pagesPerSecond[name] = count / (ms / 1000);
  console.log(`${name.padEnd(40)} ${pagesPerSecond[name].toFixed(1).padStart(6)} pages/s  (${count} pages)`);
}
// What readPage does since extraction moved off the main thread: the same extractor in the
// worker pool, one page at a time (each page also crosses the thread boundary twice).
{
  const name = "llmux extractInWorker (worker pool)";
  await extractInWorker(pages[0]?.html ?? "", { url: pages[0]?.url }); // start the worker
  const started = performance.now();
  for (let round = 0; round < rounds; round++) {
    for (const { html, url } of pages) await extractInWorker(html, { url });
  }
  const count = pages.length * rounds;
  pagesPerSecond[name] = count / ((performance.now() - started) / 1000);
  console.log(`${name.padEnd(40)} ${pagesPerSecond[name].toFixed(1).padStart(6)} pages/s  (${count} pages)`);
}
const ours = pagesPerSecond["llmux extractContent (markdown + text)"] ?? 0;
console.log(
  `llmux / Readability+jsdom: ${(ours / (pagesPerSecond["Readability + jsdom"] ?? 1)).toFixed(1)}x`,
);
console.log(
  `llmux / Readability+linkedom: ${(ours / (pagesPerSecond["Readability + linkedom"] ?? 1)).toFixed(2)}x`,
);
console.log(
  `worker pool / main thread: ${((pagesPerSecond["llmux extractInWorker (worker pool)"] ?? 0) / ours).toFixed(2)}x`,
);
