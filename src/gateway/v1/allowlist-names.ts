import type { GatewayContext } from "./gateway-context.ts";

/** The names a key's allowlist may give a model by: as the client sent it, or its resolved reference. */
export function allowlistNames(context: GatewayContext, name: string): string[] {
  try {
    const reference = context.modelRoutes.get(name).resolved.reference;
    return reference === name ? [name] : [name, reference];
  } catch {
    return [name];
  }
}
