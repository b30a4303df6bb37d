/**
 * llmux as a library: one model reference and one API for every provider.
 *
 *   import { createLlmux } from "llmux";
 *   const llmux = createLlmux();
 *   const { text, costUsd } = await llmux.generate({ model: "openai:gpt-4.1-mini", prompt: "Hi" });
 *
 * `registry.languageModel(registry.resolve(ref))` gives the AI SDK LanguageModel itself, to hand
 * to the AI SDK's own functions.
 */
export type { CallOptions, CallResult, StructuredCallOptions, Usage } from "./api/call-options.ts";
export {
  createLlmux,
  type EmbedResult,
  type Llmux,
  type LlmuxOptions,
  type StreamResult,
  type UsageSink,
} from "./api/create-llmux.ts";
export { type CatalogEntry, listCatalog } from "./catalog/catalog.ts";
export { computeCost } from "./catalog/compute-cost.ts";
export { findCatalogEntry, resolveBareModelName } from "./catalog/find-catalog-entry.ts";
export { type ErrorKind, EXIT_CODES, isLlmuxError, LlmuxError } from "./core/errors.ts";
export { type LlmuxConfig, loadConfig } from "./core/load-config.ts";
export { parseModelReference } from "./core/model-reference.ts";
export { startGateway } from "./gateway/start-gateway.ts";
export {
  createProviderRegistry,
  DEFAULT_MODEL,
  type ProviderRegistry,
  type ResolvedModel,
} from "./providers/provider-registry.ts";
export { type ReadPage, type ReadPageOptions, readPage } from "./reader/read-page.ts";
export type { SummaryLength } from "./summarize/build-summary-prompt.ts";
export {
  type SummarizeInput,
  type SummarizeOptions,
  type SummarizeProgress,
  type Summary,
  summarize,
} from "./summarize/summarize.ts";
