/**
 * The web app's API (docs/app-api.md) as types: what the gateway's /app/api routes send and the web
 * UI reads. Both sides import them from here, so a change to the contract is made once.
 * Types only: the UI bundle takes nothing from the server at run time.
 */
import type { CatalogEntry } from "../../catalog/catalog.ts";
import type { NotReadyReason, ProviderCategory } from "../../providers/provider-definition.ts";
import type { ConversationSummary } from "../../store/conversation-store.ts";

/** What the conversation routes send and take; the store saves them as they are. */
export type {
  Conversation,
  ConversationMessage,
  ConversationPatch,
  ConversationSummary,
} from "../../store/conversation-store.ts";
/** The error object of every failed /api call, and the data of a stream's `error` event. */
export type { OpenAIErrorBody } from "../openai/to-openai-error.ts";

/** `GET /app/api/conversations`. */
export interface ConversationSummaryList {
  conversations: ConversationSummary[];
}

/** One model of `GET /app/api/models`. */
export interface AppModel {
  /** `provider:model`, what /v1/chat/completions takes as `model`. */
  reference: string;
  name: string;
  provider: string;
  providerLabel: string;
  /** Whether it answers now; when not, `reason` says why in one word. */
  ready: boolean;
  reason: NotReadyReason | null;
  /** How to set the provider up (its key variable, its server...). */
  setup: string;
  weights: "open" | "closed" | null;
  contextWindow: number | null;
  /** USD per million tokens; null when unknown (never shown as free). */
  pricing: CatalogEntry["pricing"];
  pricesAsOf: string | null;
  /**
   * Bytes to download before it can answer: a local model of the catalog that is not downloaded
   * yet, which the web app offers to download (POST /app/api/pull); null for every other model.
   */
  downloadBytes: number | null;
}

interface AppModelGroup {
  category: ProviderCategory;
  label: string;
  models: AppModel[];
}

/** `GET /app/api/models`. */
export interface AppModelList {
  /**
   * The model the UI starts on: LLMUX_MODEL (else the config's defaultModel, else the built-in
   * default) when it is ready, else the first ready model; the unready default when none is.
   */
  defaultModel: string;
  groups: AppModelGroup[];
}

/** `POST /app/api/summarize`, event `page`: what the reader extracted, before the summary starts. */
export interface SummarizePage {
  url: string;
  title: string;
  byline: string | null;
  wordCount: number;
  /** The extracted text, as Markdown. */
  text: string;
}

/** `POST /app/api/summarize`, event `delta`: the next piece of the summary. */
export interface SummarizeDelta {
  text: string;
}

/** `POST /app/api/summarize`, event `done`: the summary's calls, summed. */
export interface SummarizeDone {
  model: string;
  inputTokens: number | null;
  outputTokens: number | null;
  costUsd: number | null;
  timeToFirstTokenMs: number | null;
  latencyMs: number;
  /** Parts the page was split into (1: it fitted one call; 0: no call, cached or verbatim). */
  chunks: number;
  /** Taken from the summary cache (shared with `llmux summarize`): no model call, cost 0. */
  cached: boolean;
  /** The page was already shorter than the length asked for: the summary is its text, as it is. */
  verbatim: boolean;
}

/** `POST /app/api/pull`, event `progress`: at most a few times a second. */
export interface PullProgress {
  receivedBytes: number;
  totalBytes: number | null;
}

/** `POST /app/api/pull`, event `done`: the model is installed and can be used as `model`. */
export interface PullDone {
  model: string;
  sizeBytes: number;
}
