import { join } from "node:path";
import { createServerProbe } from "./create-server-probe.ts";
import type { NotReadyReason, ProviderReadiness } from "./provider-definition.ts";
import type { ProviderRegistry } from "./provider-registry.ts";

/** Whether a model answers now; when not, why, in one word. */
export interface ModelStatus {
  ready: boolean;
  reason: NotReadyReason | null;
}

export interface ModelReadiness {
  /** What one provider says of itself: why none of its models answer, and the models it reports. */
  report(provider: string): Promise<ProviderReadiness>;
  /** Whether one model of a provider answers now. */
  status(provider: string, modelId: string): Promise<ModelStatus>;
}

/**
 * The one place that decides whether a model will answer now: a key for cloud providers, the
 * file on disk for the embedded engine, a recent answer to a probe for servers (Ollama and
 * declared endpoints). Each provider is asked once, and only when one of its models is; what is
 * listed, with which facts, is listModels's.
 */
export function createModelReadiness(registry: ProviderRegistry): ModelReadiness {
  // Shared by every process of one user, so repeated commands don't probe again.
  const probe = createServerProbe(join(registry.config.paths.dataDir, "probes.json"));
  const reports = new Map<string, Promise<ProviderReadiness>>();

  const reportOf = (id: string): Promise<ProviderReadiness> => {
    let report = reports.get(id);
    if (!report) {
      const definition = registry.providers.get(id);
      const context = { config: registry.config, settings: registry.config.file.providers[id] ?? {}, probe };
      report =
        definition?.checkReadiness?.(context) ??
        Promise.resolve({ reason: definition?.isConfigured(context) ? null : "no key", models: [] });
      reports.set(id, report);
    }
    return report;
  };

  const statusOf = async (provider: string, modelId: string): Promise<ModelStatus> => {
    const report = await reportOf(provider);
    if (report.reason) return { ready: false, reason: report.reason };
    if (report.hasModel && !(await report.hasModel(modelId)))
      return { ready: false, reason: "not downloaded" };
    return { ready: true, reason: null };
  };

  return { report: reportOf, status: statusOf };
}
