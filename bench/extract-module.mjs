// Corpus scorer module: node ../shared/corpus/score.mjs --module ./bench/extract-module.mjs ../shared/corpus/dev
// Loads the TypeScript source through tsx, so it always measures the current code.
import { tsImport } from "tsx/esm/api";

const { extractContent } = await tsImport("../src/reader/extract-content.ts", import.meta.url);

export default function extract(html, { url }) {
  return extractContent(html, { url: url ?? undefined }).text;
}
