import { LlmuxError } from "../core/errors.ts";
import { formatBytes } from "../core/format-bytes.ts";
import type { LlmuxConfig } from "../core/load-config.ts";
import { listLocalModels } from "../local/list-local-models.ts";
import { listModels } from "../providers/list-models.ts";
import { createProviderRegistry } from "../providers/provider-registry.ts";
import type { CliIo, Command } from "./command.ts";
import { defineOptions, renderOptionsHelp } from "./define-options.ts";
import { formatTable } from "./format-table.ts";
import { writeJson } from "./write-json.ts";

const options = defineOptions({
  local: {
    type: "boolean",
    description:
      "the models installed for the embedded engine (llmux's store and Ollama's),\nwith size, architecture, parameters, quantization and context from the GGUF header",
  },
  provider: {
    type: "string",
    placeholder: "ID",
    description: "only this provider's models (openai, anthropic, bedrock, ollama, local...)",
  },
  configured: { type: "boolean", description: "only the models that will answer now" },
  json: { type: "boolean", description: "one JSON object per model, one per line (JSON Lines)" },
});

export const modelsCommand: Command<typeof options> = {
  usage: `[options]

${renderOptionsHelp(options)}

The list is the catalog plus the models Ollama and the endpoints in the config file report, and
the local models on disk. READY is "yes" or why not: "no key", "not downloaded" (llmux pull, or
ollama pull), "not running" (Ollama or an endpoint did not answer within a second; answers are
remembered for a minute).
Prices are US dollars per million tokens, with the date they were taken ("?" = unknown).`,
  options,
  async run({ values, io, config }) {
    if (values.local) return listInstalled(io, config(), values.json);
    const registry = createProviderRegistry(config());
    const provider = values.provider;
    if (provider !== undefined && !registry.providers.has(provider)) {
      throw new LlmuxError("usage", `Unknown provider "${provider}"`, {
        hint: `Known providers: ${[...registry.providers.keys()].join(", ")}`,
      });
    }
    const rows = (await listModels(registry, { provider })).models
      .filter((m) => !values.configured || m.ready)
      .map((m) => ({
        reference: m.reference,
        provider: m.provider,
        model: m.model,
        name: m.name,
        family: m.family,
        category: m.category,
        weights: m.weights,
        contextWindow: m.contextWindow,
        inputPerMTok: m.pricing?.inputPerMTok ?? null,
        outputPerMTok: m.pricing?.outputPerMTok ?? null,
        pricesAsOf: m.pricesAsOf,
        embedding: m.embedding,
        ready: m.ready,
        reason: m.reason,
      }));

    if (values.json) {
      writeJson(io, rows);
      return 0;
    }
    const price = (n: number | null) => (n === null ? "?" : `$${n}`);
    io.stdout.write(
      formatTable(
        ["MODEL", "WEIGHTS", "CONTEXT", "$IN/1M", "$OUT/1M", "PRICED", "READY"],
        rows.map((r) => [
          r.reference,
          r.weights ?? "?",
          r.contextWindow === null ? "?" : formatTokens(r.contextWindow),
          price(r.inputPerMTok),
          price(r.outputPerMTok),
          r.pricesAsOf ?? "",
          r.reason ?? "yes",
        ]),
      ),
    );
    return 0;
  },
};

async function listInstalled(io: CliIo, config: LlmuxConfig, json: boolean): Promise<number> {
  const models = await listLocalModels({
    modelsDir: config.paths.models,
    env: config.env as NodeJS.ProcessEnv,
  });
  if (json) {
    writeJson(io, models);
    return 0;
  }
  if (models.length === 0) {
    io.stdout.write("No local models yet. Download one with `llmux pull llama3.2:1b`.\n");
    return 0;
  }
  io.stdout.write(
    formatTable(
      ["MODEL", "SOURCE", "SIZE", "ARCH", "PARAMS", "QUANT", "CONTEXT"],
      models.map((m) => [
        `local:${m.name}`,
        m.source,
        m.sizeBytes === undefined ? "?" : formatBytes(m.sizeBytes),
        m.problem ? `unusable: ${m.problem}` : (m.architecture ?? "?"),
        m.sizeLabel ?? "?",
        m.quantization ?? "?",
        m.contextLength === undefined ? "?" : formatTokens(m.contextLength),
      ]),
    ),
  );
  return 0;
}

function formatTokens(n: number): string {
  if (n >= 1_000_000) return `${+(n / 1_000_000).toFixed(1)}M`;
  if (n >= 1000) return `${Math.round(n / 1000)}K`;
  return String(n);
}
