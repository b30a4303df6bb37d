import type { IncomingMessage, ServerResponse } from "node:http";
import { performance } from "node:perf_hooks";
import { computeCost } from "../../catalog/compute-cost.ts";
import { type Pricing, resolvePricing } from "../../catalog/resolve-pricing.ts";
import { createLlmux } from "../../client/create-llmux.ts";
import { isLlmuxError } from "../../core/errors.ts";
import { formatBytes } from "../../core/format-bytes.ts";
import { findMissingCatalogModel } from "../../local/find-missing-catalog-model.ts";
import { estimateTokens } from "../../providers/estimate-tokens.ts";
import { createSummaryCache } from "../../store/create-summary-cache.ts";
import type { GatewayKey } from "../../store/gateway-keys.ts";
import { parseSummaryLength, type SummaryLength } from "../../summarize/summary-lengths.ts";
import { RequestError } from "../openai/request-error.ts";
import { toOpenAIError } from "../openai/to-openai-error.ts";
import { checkServableModel } from "../server/check-servable-model.ts";
import { parseJsonBody } from "../server/parse-json-body.ts";
import { readBody } from "../server/read-body.ts";
import { requirePrice } from "../server/require-price.ts";
import type { SummarizeDelta, SummarizeDone, SummarizePage } from "./app-api-types.ts";
import type { AppContext } from "./app-context.ts";
import { openEventStream, watchClient } from "./open-event-stream.ts";

/**
 * POST /app/api/summarize `{ url, model?, length?, language? }`: reads the page with the same reader
 * and SSRF rules as `llmux summarize` (private addresses only when the server allows them; a page
 * that cannot be read is an HTTP error), then streams server-sent events: `page`, `delta`
 * (`{ text }`) many times, and `done` or `error`. Summaries come from and go to the same cache as
 * the CLI's (the llmux database): a hit is one `delta` and a `done` marked `cached`.
 */
export async function handleSummarizeRequest(
  req: IncomingMessage,
  res: ServerResponse,
  context: AppContext,
  key: GatewayKey | undefined,
): Promise<void> {
  const json = parseJsonBody(await readBody(req, context.config.file.gateway.bodyLimitBytes));
  const url = parseUrl(json.url);
  const model = typeof json.model === "string" && json.model ? json.model : undefined;
  const length = parseLength(json.length);
  const language = typeof json.language === "string" && json.language ? json.language : undefined;

  // What the calls cost, charged to the key when the summary ends (in place of its hold). A call
  // cut short unreported is charged an estimate, marked as one in its row: the whole page as its
  // prompt, and the text streamed so far as its answer.
  let pricing: Pricing | undefined;
  let pageTokens = 0;
  let streamed = "";
  let costUsd = 0;
  const llmux = createLlmux({
    config: context.config,
    usageSource: "gateway",
    onUsage: (reported) => {
      let row = { ...reported, gatewayKeyId: key?.id ?? null };
      if (row.costUsd === null && row.outcome !== "ok" && pricing) {
        const inputTokens = row.inputTokens ?? pageTokens;
        const outputTokens = row.outputTokens ?? estimateTokens(streamed);
        const cost = computeCost({ pricing }, { inputTokens, outputTokens });
        row = { ...row, inputTokens, outputTokens, costUsd: cost, estimated: true };
      }
      context.recordUsage(row);
      costUsd += row.costUsd ?? 0;
    },
  });
  const resolved = llmux.registry.resolve(llmux.registry.defaultModel(model));
  checkServableModel(llmux.registry, resolved, model ?? resolved.reference);
  const { reference } = resolved;
  if (key) context.keys.allow(key, model ? [model, reference] : [reference]);
  pricing =
    key && key.budgetUsd !== null
      ? requirePrice(resolved, key, context.config.file.prices)
      : resolvePricing(resolved, context.config.file.prices);
  if (resolved.provider === "local") await refuseMissingCatalogModel(resolved.modelId, context);
  // Made now, so a missing key is refused before the page is fetched.
  llmux.registry.languageModel(resolved);

  const signal = watchClient(res);
  const started = performance.now();
  // The reader and summarizer load on the first summary, not with the gateway.
  const [{ readPage }, { summarize }] = await Promise.all([
    import("../../reader/read-page.ts"),
    import("../../summarize/summarize.ts"),
  ]);
  // Read before the stream starts, so a page that cannot be read gets its own HTTP status
  // (403 blocked address, 422 too complex or nothing to read, 502 the site failed...).
  const page = await readPage(url, { allowPrivate: context.allowPrivateAddresses, signal });
  pageTokens = estimateTokens(page.markdown);
  const reservation =
    key && (await context.keys.reserve(key, pricing ? worstCaseUsd(pricing, pageTokens) : 0));
  const send = openEventStream(res);
  let firstTokenAt: number | null = null;
  try {
    send("page", {
      url: page.url,
      title: page.title,
      byline: page.byline,
      wordCount: page.wordCount,
      text: page.markdown,
    } satisfies SummarizePage);
    const summary = await summarize(page, {
      llmux,
      model: reference,
      length,
      language,
      signal,
      cache: createSummaryCache(context.database, { maxBytes: context.config.file.summaryCache.maxBytes }),
      onText: (text) => {
        firstTokenAt ??= performance.now();
        streamed += text;
        send("delta", { text } satisfies SummarizeDelta);
      },
    });
    send("done", {
      model: summary.model,
      inputTokens: summary.usage.inputTokens,
      outputTokens: summary.usage.outputTokens,
      costUsd: summary.costUsd,
      timeToFirstTokenMs: firstTokenAt === null ? null : Math.round(firstTokenAt - started),
      latencyMs: Math.round(performance.now() - started),
      chunks: summary.chunks,
      cached: summary.cached,
      verbatim: summary.verbatim,
    } satisfies SummarizeDone);
  } catch (error) {
    if (signal.aborted) return;
    send("error", toOpenAIError(error).body);
  } finally {
    res.end();
    reservation?.settle(costUsd);
  }
}

/**
 * The most a summary of a page of `pageTokens` may cost: every part read once as a prompt and
 * its notes read again to combine them (twice the page, plus the prompts), a note per 4,000
 * tokens of page and the longest answer.
 */
function worstCaseUsd(pricing: Pricing, pageTokens: number): number {
  const inputTokens = 2 * pageTokens + 4000;
  const outputTokens = Math.ceil(pageTokens / 4000) * 400 + 1600;
  return computeCost({ pricing }, { inputTokens, outputTokens }) ?? 0;
}

/**
 * A catalog model that is not downloaded yet is refused before the page is fetched, with the
 * code the web app answers by offering the download (POST /app/api/pull), as the CLI offers it.
 */
async function refuseMissingCatalogModel(name: string, context: AppContext): Promise<void> {
  const missing = await findMissingCatalogModel(name, {
    modelsDir: context.config.paths.models,
    env: context.config.env as NodeJS.ProcessEnv,
  });
  if (!missing) return;
  const size = missing.sizeBytes === undefined ? "" : ` (${formatBytes(missing.sizeBytes)})`;
  throw new RequestError(404, `local:${name} is not downloaded yet${size}`, {
    param: "model",
    code: "model_not_downloaded",
  });
}

/** A preset name or a number of characters, as `--length` takes them; default short. */
function parseLength(value: unknown): SummaryLength {
  if (value === undefined || value === null) return "short";
  try {
    return parseSummaryLength(String(value), "length");
  } catch (error) {
    throw new RequestError(400, isLlmuxError(error) ? error.message : "Invalid length", {
      param: "length",
      code: "invalid_value",
    });
  }
}

/** Only web pages: the reader also opens local files and stdin, which a remote caller must never reach. */
function parseUrl(value: unknown): string {
  if (typeof value !== "string" || !/^https?:\/\//i.test(value.trim())) {
    throw new RequestError(400, "Give the page's address as url, an http:// or https:// URL", {
      param: "url",
      code: "invalid_value",
    });
  }
  try {
    return new URL(value.trim()).href;
  } catch {
    throw new RequestError(400, `"${value}" is not a valid URL`, { param: "url", code: "invalid_value" });
  }
}
