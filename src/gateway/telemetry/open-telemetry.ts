import type { LlmuxConfig } from "../../core/load-config.ts";
import type { GatewayTelemetry } from "./gateway-telemetry.ts";
import { telemetrySettings } from "./telemetry-settings.ts";

/**
 * The gateway's telemetry when it is turned on (telemetrySettings), else undefined. The
 * OpenTelemetry SDK is imported only then: a gateway without it starts without loading it.
 */
export async function openTelemetry(
  config: LlmuxConfig,
  log: (line: string) => void,
): Promise<GatewayTelemetry | undefined> {
  const settings = telemetrySettings(config);
  if (settings === undefined) return undefined;
  const { createGatewayTelemetry } = await import("./create-gateway-telemetry.ts");
  return createGatewayTelemetry(settings, log);
}
