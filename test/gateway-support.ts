import { writeFileSync } from "node:fs";
import { join } from "node:path";
import OpenAI from "openai";
import { loadConfig } from "../src/core/load-config.ts";
import { type Gateway, startGateway } from "../src/gateway/start-gateway.ts";
import { makeTempDir } from "./support/make-temp-dir.ts";

export const OPENAI_KEY = "sk-test-gateway-openai-key-123456";
export const ANTHROPIC_KEY = "sk-ant-test-gateway-key-123456";

export interface TestGateway {
  gateway: Gateway;
  home: string;
  /** An official OpenAI client pointed at the gateway, without retries of its own. */
  client(apiKey?: string): OpenAI;
}

/**
 * A gateway on 127.0.0.1 (random port) in a fresh LLMUX_HOME with only `env` and, when given,
 * `configFile` as config.json. Retries are fast (1 ms base) unless the config says otherwise.
 */
export async function startTestGateway(
  env: Record<string, string>,
  configFile: Record<string, unknown> = {},
  options: { home?: string; host?: string } = {},
): Promise<TestGateway> {
  const home = options.home ?? makeTempDir("llmux-gateway-");
  const gatewaySection = (configFile.gateway ?? {}) as Record<string, unknown>;
  writeFileSync(
    join(home, "config.json"),
    JSON.stringify({ ...configFile, gateway: { retryBaseMs: 1, ...gatewaySection } }),
  );
  const config = loadConfig({ cwd: home, env: { LLMUX_HOME: home, ...env } });
  const gateway = await startGateway(config, { port: 0, host: options.host });
  return {
    gateway,
    home,
    client: (apiKey = "no-key") => new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey, maxRetries: 0 }),
  };
}

/** The raw text of a POST to the gateway, as a client that does not parse it would see it. */
export async function postRaw(
  gateway: Gateway,
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Headers; text: string }> {
  const response = await fetch(`${gateway.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return { status: response.status, headers: response.headers, text: await response.text() };
}
