import { listCatalog } from "../catalog/catalog.ts";
import { LlmuxError } from "../core/errors.ts";
import { formatBytes } from "../core/format-bytes.ts";
import type { LlmuxConfig } from "../core/load-config.ts";
import { listLocalModels } from "../local/list-local-models.ts";
import { createProviderRegistry } from "../providers/provider-registry.ts";
import type { CliIo, Command } from "./command.ts";
import { formatTable } from "./format-table.ts";
import { writeJson } from "./write-json.ts";

export const modelsCommand: Command = {
  usage: `[options]

      --local         the models installed for the embedded engine (llmux's store and Ollama's),
                      with size, architecture, parameters, quantization and context from the GGUF header
      --provider ID   only this provider's models (openai, anthropic, bedrock, ollama, local...)
      --configured    only models whose key or endpoint is configured
      --json          one JSON object per model, one per line (JSON Lines)

Prices are US dollars per million tokens, with the date they were taken ("?" = unknown).`,
  options: {
    local: { type: "boolean" },
    provider: { type: "string" },
    configured: { type: "boolean" },
    json: { type: "boolean" },
  },
  async run({ values, io, config }) {
    if (values.local) return listInstalled(io, config(), Boolean(values.json));
    const registry = createProviderRegistry(config());
    const provider = values.provider as string | undefined;
    if (provider !== undefined && !registry.providers.has(provider)) {
      throw new LlmuxError("usage", `Unknown provider "${provider}"`, {
        hint: `Known providers: ${[...registry.providers.keys()].join(", ")}`,
      });
    }
    const configured = new Map([...registry.providers.keys()].map((id) => [id, registry.isConfigured(id)]));
    const rows = listCatalog()
      .filter((e) => provider === undefined || e.provider === provider)
      .map((e) => ({
        reference: `${e.provider}:${e.model}`,
        provider: e.provider,
        model: e.model,
        name: e.name,
        family: e.family,
        category: registry.providers.get(e.provider)?.category ?? "frontier",
        weights: e.weights,
        contextWindow: e.contextWindow,
        inputPerMTok: e.pricing?.inputPerMTok ?? null,
        outputPerMTok: e.pricing?.outputPerMTok ?? null,
        pricesAsOf: e.pricesAsOf,
        embedding: e.embedding,
        configured: configured.get(e.provider) ?? false,
      }))
      .filter((row) => !values.configured || row.configured);

    if (values.json) {
      writeJson(io, rows);
      return 0;
    }
    const price = (n: number | null) => (n === null ? "?" : `$${n}`);
    io.stdout.write(
      formatTable(
        ["MODEL", "WEIGHTS", "CONTEXT", "$IN/1M", "$OUT/1M", "PRICED", "CONFIGURED"],
        rows.map((r) => [
          r.reference,
          r.weights,
          formatTokens(r.contextWindow),
          price(r.inputPerMTok),
          price(r.outputPerMTok),
          r.pricesAsOf ?? "",
          r.configured ? "yes" : "no",
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
