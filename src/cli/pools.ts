import { classifyNetworkError } from "../core/classify-network-error.ts";
import { LlmuxError } from "../core/errors.ts";
import type { VerboseHealth } from "../gateway/server/create-status-routes.ts";
import type { Command } from "./command.ts";
import { defineOptions, renderOptionsHelp } from "./define-options.ts";
import { formatTable } from "./format-table.ts";
import { writeJson } from "./write-json.ts";

const TIMEOUT_MS = 5000;

const options = defineOptions({
  url: {
    type: "string",
    placeholder: "URL",
    default: "http://127.0.0.1:4000",
    description: "the running gateway (llmux serve)",
  },
  key: {
    type: "string",
    placeholder: "KEY",
    description: "a gateway key, needed once keys exist (default: $LLMUX_GATEWAY_KEY)",
  },
  json: { type: "boolean", description: "the gateway's answer as one JSON line: {status, pools}" },
});

export const poolsCommand: Command<typeof options> = {
  usage: `[--url URL] [--key KEY] [--json]

${renderOptionsHelp(options)}

Each pool of a running gateway (gateway.pools) and its deployments as that gateway sees them:
healthy or ejected (and until when), requests in flight, recent latency, requests and failures.
Behind several replicas, each one answers for itself (ejections are shared through Redis).`,
  options,
  async run({ values, io, config }) {
    const base = values.url.replace(/\/+$/, "");
    const key = values.key ?? config().env.LLMUX_GATEWAY_KEY;
    const answer = await fetchPools(base, key);
    if (values.json) {
      writeJson(io, [answer]);
      return 0;
    }
    const rows = Object.entries(answer.pools).flatMap(([name, pool]) =>
      pool.deployments.map((d) => [
        name,
        pool.strategy,
        d.model,
        d.healthy ? "ok" : `ejected until ${d.ejectedUntil?.slice(11, 19) ?? "?"} UTC`,
        String(d.inFlight),
        d.latencyMs === null ? "-" : `${Math.round(d.latencyMs)} ms`,
        String(d.requests),
        String(d.failures),
        String(d.consecutiveFailures),
      ]),
    );
    if (rows.length === 0) {
      io.stdout.write(`The gateway at ${base} has no pools (gateway.pools in its config file).\n`);
      return 0;
    }
    io.stdout.write(
      formatTable(
        [
          "POOL",
          "STRATEGY",
          "DEPLOYMENT",
          "HEALTH",
          "IN FLIGHT",
          "LATENCY",
          "REQUESTS",
          "FAILURES",
          "IN A ROW",
        ],
        rows,
      ),
    );
    return 0;
  },
};

/** GET /healthz?verbose, as one clear error when the gateway is not there or refuses the key. */
async function fetchPools(base: string, key: string | undefined): Promise<VerboseHealth> {
  let response: Response;
  try {
    response = await fetch(`${base}/healthz?verbose`, {
      headers: key ? { authorization: `Bearer ${key}` } : {},
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (error) {
    const classified =
      error instanceof DOMException && error.name === "TimeoutError"
        ? new LlmuxError("timeout", `The gateway at ${base} did not answer within ${TIMEOUT_MS / 1000} s`)
        : classifyNetworkError(error, { reaching: "provider", name: `the gateway at ${base}` });
    throw new LlmuxError(classified?.kind ?? "network", classified?.message ?? `Could not reach ${base}`, {
      cause: error,
      hint: "Is `llmux serve` running there? Give its address with --url",
    });
  }
  if (response.status === 401) {
    throw new LlmuxError(
      "auth",
      `The gateway at ${base} ${key ? "refused the key" : "needs a gateway key"}`,
      {
        hint: "Pass a key of that gateway with --key or LLMUX_GATEWAY_KEY (`llmux keys create` makes one)",
      },
    );
  }
  const body = (await response.json().catch(() => undefined)) as Partial<VerboseHealth> | undefined;
  if (!response.ok || typeof body?.pools !== "object" || body.pools === null) {
    throw new LlmuxError(
      "http_status",
      `${base}/healthz?verbose answered ${response.status} without pools: is it an llmux gateway of this version?`,
      { hint: "Give the address of `llmux serve` with --url" },
    );
  }
  return body as VerboseHealth;
}
