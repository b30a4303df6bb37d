import { LlmuxError } from "../core/errors.ts";
import type { ModelCapability, ProviderDefinition } from "./provider-definition.ts";

const ASKED_AS: Record<ModelCapability, string> = {
  tools: "call tools",
  jsonSchema: "answer to a JSON schema",
};

/**
 * Refuses (unsupported, a 400 in the gateway) a call that asks a provider's models for what its
 * definition says they cannot do, before anything is sent: answering without the tools or the
 * schema would be a different answer than the one asked for.
 */
export function checkCallCapabilities(
  definition: Pick<ProviderDefinition, "label" | "cannot">,
  /** The AI SDK's call options, or what a request forwarded as is asks for, in their terms. */
  options: { tools?: readonly unknown[]; responseFormat?: { type: string; schema?: unknown } },
): void {
  for (const capability of definition.cannot ?? []) {
    const asked =
      capability === "tools"
        ? (options.tools?.length ?? 0) > 0
        : options.responseFormat?.type === "json" && options.responseFormat.schema !== undefined;
    if (asked) {
      throw new LlmuxError("unsupported", `${definition.label} models cannot ${ASKED_AS[capability]}`, {
        hint: "Use a model of another provider for this request",
      });
    }
  }
}
