// `import "llmux/summarize"`: reading pages and summarizing them, without the rest of the library.
export { type ReadPage, type ReadPageOptions, readPage } from "../reader/read-page.ts";
export type { SummaryLength } from "../summarize/build-summary-prompt.ts";
export {
  type SummarizeInput,
  type SummarizeOptions,
  type SummarizeProgress,
  type Summary,
  summarize,
} from "../summarize/summarize.ts";
export {
  type SiteProgress,
  type SiteSummary,
  type SummarizeSiteOptions,
  summarizeSite,
} from "../summarize/summarize-site.ts";
export type { SummaryCache } from "../summarize/summary-cache.ts";
