/**
 * llmux as a library: one model reference and one API for every provider.
 *
 *   import { createLlmux } from "llmux";
 *   const llmux = createLlmux();
 *   const { text, costUsd } = await llmux.generate({ model: "openai:gpt-4.1-mini", prompt: "Hi" });
 *
 * `registry.languageModel(registry.resolve(ref))` gives the AI SDK LanguageModel itself, to hand
 * to the AI SDK's own functions.
 *
 * Importing this module loads only what the synchronous exports need: the AI SDK, the gateway,
 * the reader and the summarizer are imported on their first call. `llmux/gateway` and
 * `llmux/summarize` export the same functions without the indirection.
 */

export { type CatalogEntry, listCatalog } from "./catalog/catalog.ts";
export { computeCost } from "./catalog/compute-cost.ts";
export { findCatalogEntry, resolveBareModelName } from "./catalog/find-catalog-entry.ts";
export type { CallOptions, CallResult, StructuredCallOptions, Usage } from "./client/call-options.ts";
export type {
  EmbedResult,
  Llmux,
  LlmuxOptions,
  StreamResult,
  UsageSink,
} from "./client/create-llmux.ts";
export { createLlmux } from "./client/lazy-llmux.ts";
export { type ErrorKind, EXIT_CODES, isLlmuxError, LlmuxError } from "./core/errors.ts";
export { type LlmuxConfig, loadConfig } from "./core/load-config.ts";
export { parseModelReference } from "./core/model-reference.ts";
export type { Gateway, GatewayOptions } from "./gateway/start-gateway.ts";
export {
  createProviderRegistry,
  DEFAULT_MODEL,
  type ProviderRegistry,
  type ResolvedModel,
} from "./providers/provider-registry.ts";
export type { ReadPage, ReadPageOptions } from "./reader/read-page.ts";
export type { SummaryLength } from "./summarize/build-summary-prompt.ts";
export type {
  SummarizeInput,
  SummarizeOptions,
  SummarizeProgress,
  Summary,
} from "./summarize/summarize.ts";
export type { SiteProgress, SiteSummary, SummarizeSiteOptions } from "./summarize/summarize-site.ts";
export type { SummaryCache } from "./summarize/summary-cache.ts";

export const startGateway: typeof import("./gateway/start-gateway.ts").startGateway = async (...args) =>
  (await import("./gateway/start-gateway.ts")).startGateway(...args);

export const readPage: typeof import("./reader/read-page.ts").readPage = async (...args) =>
  (await import("./reader/read-page.ts")).readPage(...args);

export const summarize: typeof import("./summarize/summarize.ts").summarize = async (...args) =>
  (await import("./summarize/summarize.ts")).summarize(...args);

export const summarizeSite: typeof import("./summarize/summarize-site.ts").summarizeSite = async (...args) =>
  (await import("./summarize/summarize-site.ts")).summarizeSite(...args);
