import type { GatewayMetrics } from "../server/create-metrics.ts";

// Ollama's own request fields and options (its api/types.go): counted by name. Any other name a
// client sends is counted as "other", so clients cannot grow /metrics without end.
const KNOWN = new Set([
  "keep_alive",
  "truncate",
  "dimensions",
  ...[
    "num_keep",
    "min_p",
    "typical_p",
    "tfs_z",
    "repeat_last_n",
    "repeat_penalty",
    "mirostat",
    "mirostat_tau",
    "mirostat_eta",
    "penalize_newline",
    "numa",
    "num_ctx",
    "num_batch",
    "num_gpu",
    "main_gpu",
    "low_vram",
    "f16_kv",
    "vocab_only",
    "use_mmap",
    "use_mlock",
    "num_thread",
    "logits_all",
    "embedding_only",
    "rope_frequency_base",
    "rope_frequency_scale",
  ].map((option) => `options.${option}`),
]);

/** Counts the fields a translated request accepted without effect in llmux_gateway_ignored_fields_total. */
export function countOllamaIgnored(metrics: GatewayMetrics, fields: readonly string[]): void {
  for (const field of fields) metrics.ignored("ollama", KNOWN.has(field) ? field : "other");
}
