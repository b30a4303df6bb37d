import { existsSync } from "node:fs";
import { LlmuxError } from "../core/errors.ts";
import { formatCost } from "../core/format-cost.ts";
import type { LlmuxConfig } from "../core/load-config.ts";
import { databaseUrl } from "../store/database-url.ts";
import { openStore } from "../store/open-store.ts";
import type { UsageSummaryRow } from "../store/usage-log.ts";
import type { Command } from "./command.ts";
import { defineOptions, renderOptionsHelp } from "./define-options.ts";
import { formatTable } from "./format-table.ts";
import { writeJson } from "./write-json.ts";

const options = defineOptions({
  since: {
    type: "string",
    placeholder: "DATE",
    description: "from this day on (YYYY-MM-DD, or 7d / 24h back from now)",
  },
  json: { type: "boolean", description: "one JSON object per day and model, one per line (JSON Lines)" },
});

export const usageCommand: Command<typeof options> = {
  usage: `[options]

${renderOptionsHelp(options)}

The log holds no prompts, answers or keys: only what each call cost.`,
  options,
  async run({ values, io, config }) {
    const since = values.since === undefined ? undefined : parseSince(values.since);
    const rows = await readUsage(config(), since);
    if (values.json) {
      writeJson(io, rows);
      return 0;
    }
    if (rows.length === 0) {
      io.stdout.write(`No calls logged${since ? ` since ${since.toISOString().slice(0, 10)}` : ""}.\n`);
      return 0;
    }
    const tokens = (n: number | null) => (n === null ? "?" : String(n));
    const cost = (c: number | null, partial: boolean) => `${formatCost(c)}${partial ? "+?" : ""}`;
    const total = rows.reduce(
      (t, r) => ({
        calls: t.calls + r.calls,
        errors: t.errors + r.errors,
        hits: t.hits + r.cacheHits,
        input: t.input + (r.inputTokens ?? 0),
        output: t.output + (r.outputTokens ?? 0),
        cost: t.cost + (r.costUsd ?? 0),
        partial: t.partial || r.costPartial || r.costUsd === null,
      }),
      { calls: 0, errors: 0, hits: 0, input: 0, output: 0, cost: 0, partial: false },
    );
    // Calls answered from the gateway's response cache get a column once there are any.
    const hits = (n: number) => (total.hits > 0 ? [String(n)] : []);
    io.stdout.write(
      formatTable(
        [
          "DAY",
          "MODEL",
          "CALLS",
          "ERRORS",
          ...(total.hits > 0 ? ["CACHE HITS"] : []),
          "IN TOKENS",
          "OUT TOKENS",
          "COST",
          "AVG MS",
        ],
        [
          ...rows.map((r) => [
            r.day,
            `${r.provider}:${r.model}`,
            String(r.calls),
            String(r.errors),
            ...hits(r.cacheHits),
            tokens(r.inputTokens),
            tokens(r.outputTokens),
            cost(r.costUsd, r.costPartial),
            String(Math.round(r.avgLatencyMs)),
          ]),
          [
            "total",
            "",
            String(total.calls),
            String(total.errors),
            ...hits(total.hits),
            String(total.input),
            String(total.output),
            cost(total.cost, total.partial),
            "",
          ],
        ],
      ),
    );
    return 0;
  },
};

/** The summary from the configured store; none (and no file created) while SQLite has no file yet. */
async function readUsage(config: LlmuxConfig, since: Date | undefined): Promise<UsageSummaryRow[]> {
  if (databaseUrl(config) === undefined && !existsSync(config.paths.database)) return [];
  const store = await openStore(config);
  try {
    return await store.usage.query({ since });
  } finally {
    await store.close();
  }
}

function parseSince(text: string): Date {
  const relative = /^(\d+)([dh])$/.exec(text);
  if (relative) {
    const hours = Number(relative[1]) * (relative[2] === "d" ? 24 : 1);
    return new Date(Date.now() - hours * 3_600_000);
  }
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) {
    const date = new Date(`${text}T00:00:00Z`);
    if (!Number.isNaN(date.getTime())) return date;
  }
  throw new LlmuxError("usage", `--since takes a date like 2026-11-01 or a span like 7d, got "${text}"`, {
    hint: "Run `llmux usage --help`",
  });
}
