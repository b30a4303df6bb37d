import type { GatewayKey } from "../../store/gateway-keys.ts";
import { allowlistNames } from "../v1/allowlist-names.ts";
import type { GatewayContext } from "../v1/gateway-context.ts";
import { resolveOllamaModelName } from "./resolve-ollama-model-name.ts";

/**
 * The llmux reference an Ollama client's model name means, once the key may use it: its
 * allowlist may name the model as the client sent it or by the reference's names.
 */
export async function authorizeOllamaModel(
  context: GatewayContext,
  key: GatewayKey | undefined,
  name: string,
): Promise<string> {
  const reference = resolveOllamaModelName(context, name);
  if (key) await context.keys.authorize(key, [...new Set([name, ...allowlistNames(context, reference)])]);
  return reference;
}
