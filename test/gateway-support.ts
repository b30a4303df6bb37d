import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after } from "node:test";
import OpenAI from "openai";
import { loadConfig } from "../src/core/load-config.ts";
import { type Gateway, startGateway } from "../src/gateway/start-gateway.ts";
import { createGatewayKey, type NewGatewayKey } from "../src/store/gateway-keys.ts";
import { openDatabase } from "../src/store/open-database.ts";
import {
  type ProviderServer,
  type ResponseSpec,
  startAnthropicServer,
  startOpenAIServer,
} from "./servers/index.ts";
import { makeTempDir } from "./support/make-temp-dir.ts";

export const OPENAI_KEY = "sk-test-gateway-openai-key-123456";
export const ANTHROPIC_KEY = "sk-ant-test-gateway-key-123456";

/** The environment that points the gateway's OpenAI provider at a loopback server. */
export const openaiEnv = (server: ProviderServer) => ({
  OPENAI_API_KEY: OPENAI_KEY,
  OPENAI_BASE_URL: `${server.url}/v1`,
});
/** The environment that points the gateway's Anthropic provider at a loopback server. */
export const anthropicEnv = (server: ProviderServer) => ({
  ANTHROPIC_API_KEY: ANTHROPIC_KEY,
  ANTHROPIC_BASE_URL: `${server.url}/v1`,
});

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

/**
 * What a test file starts (loopback upstreams, gateways), closed after its tests, the last
 * started first. `keep` adds anything else with a close().
 */
export function gatewayTestServers() {
  const started: { close(): Promise<void> }[] = [];
  after(async () => {
    for (const server of started.reverse()) await server.close();
  });
  const keep = <T extends { close(): Promise<void> }>(server: T): T => {
    started.push(server);
    return server;
  };
  return {
    keep,
    openai: async (script: ResponseSpec[]) => keep(await startOpenAIServer(script)),
    anthropic: async (script: ResponseSpec[]) => keep(await startAnthropicServer(script)),
    gateway: async (...args: Parameters<typeof startTestGateway>): Promise<TestGateway> => {
      const gateway = await startTestGateway(...args);
      keep(gateway.gateway);
      return gateway;
    },
  };
}

type CreatedKey = ReturnType<typeof createGatewayKey>;

/** A fresh LLMUX_HOME whose database holds `keys`, with each key's row and token, in order. */
export function homeWithKeys<const Keys extends readonly NewGatewayKey[]>(
  prefix: string,
  keys: Keys,
): { home: string; created: { [I in keyof Keys]: CreatedKey } } {
  const home = makeTempDir(prefix);
  const db = openDatabase(join(home, "llmux.db"));
  const created = keys.map((key) => createGatewayKey(db, key));
  db.close();
  return { home, created: created as { [I in keyof Keys]: CreatedKey } };
}

/** The usage log's rows in the SQLite database of `home`, oldest first. */
export function usageRows(home: string): Record<string, unknown>[] {
  const db = openDatabase(join(home, "llmux.db"));
  try {
    return db.prepare("SELECT * FROM usage ORDER BY id").all() as Record<string, unknown>[];
  } finally {
    db.close();
  }
}
