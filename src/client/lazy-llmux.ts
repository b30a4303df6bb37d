import { loadConfig } from "../core/load-config.ts";
import { createProviderRegistry } from "../providers/provider-registry.ts";
import type { StructuredCallOptions } from "./call-options.ts";
import type { Llmux, LlmuxOptions, StreamResult } from "./create-llmux.ts";

/**
 * createLlmux as `import "llmux"` exports it: the configuration and the registry are made at once,
 * so their errors are thrown where they always were, and the AI SDK ("ai", a third of the
 * library's import time) is imported on the first call. `llmux.registry` is the registry made
 * here; the calls use one of their own, built from the same configuration.
 */
export function createLlmux(options: LlmuxOptions = {}): Llmux {
  const config = options.config ?? loadConfig(options);
  const registry = createProviderRegistry(config);
  let loaded: Promise<Llmux> | undefined;
  const load = () =>
    (loaded ??= import("./create-llmux.ts").then((m) => m.createLlmux({ ...options, config })));
  return {
    registry,
    generate: async (call) => (await load()).generate(call),
    generateObject: async <T>(call: StructuredCallOptions<T>) => (await load()).generateObject<T>(call),
    embed: async (call) => (await load()).embed(call),
    stream: (call) => {
      // What the real stream() throws at once (an unknown model, a missing key) is thrown here too.
      registry.languageModel(registry.resolve(registry.defaultModel(call.model)));
      const started = load().then((llmux) => llmux.stream(call));
      const result: StreamResult["result"] = started.then((stream) => stream.result);
      // A caller that only iterates textStream must not get an unhandled rejection.
      result.catch(() => {});
      async function* textStream(): AsyncGenerator<string> {
        yield* (await started).textStream;
      }
      return { textStream: textStream(), result };
    },
  };
}
