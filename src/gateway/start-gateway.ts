import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { LlmuxError } from "../core/errors.ts";
import type { LlmuxConfig } from "../core/load-config.ts";
import { createProviderRegistry } from "../providers/provider-registry.ts";
import { openDatabase } from "../store/open-database.ts";
import { openStore } from "../store/open-store.ts";
import { createAnthropicRoutes } from "./anthropic/create-anthropic-routes.ts";
import { createAppRoutes } from "./app/create-app-routes.ts";
import { openResponseCache } from "./cache/open-response-cache.ts";
import { createOllamaRootRoutes } from "./ollama/create-ollama-root-routes.ts";
import { createOllamaRoutes } from "./ollama/create-ollama-routes.ts";
import { ollamaDialect } from "./ollama/ollama-dialect.ts";
import { createPools, type Pools } from "./pools/create-pools.ts";
import { createResponsesRoutes } from "./responses/create-responses-routes.ts";
import { answerClientError } from "./server/answer-client-error.ts";
import { createBrowserGuard } from "./server/create-browser-guard.ts";
import { createKeyGuard, type KeyGuard } from "./server/create-key-guard.ts";
import { createMetrics } from "./server/create-metrics.ts";
import { createRequestListener } from "./server/create-request-listener.ts";
import { createRouteTable, type RouteTable } from "./server/create-route-table.ts";
import { createStatusRoutes } from "./server/create-status-routes.ts";
import { isLoopbackHost } from "./server/is-loopback-host.ts";
import { limitConnections } from "./server/limit-connections.ts";
import type { Limits } from "./server/limits.ts";
import { openLimits } from "./server/open-limits.ts";
import { redisUrl } from "./server/redis-url.ts";
import { warnPerReplicaLimits } from "./server/warn-per-replica-limits.ts";
import type { GatewayTelemetry } from "./telemetry/gateway-telemetry.ts";
import { openTelemetry } from "./telemetry/open-telemetry.ts";
import { createModelRoutes } from "./v1/create-model-routes.ts";
import { createRequestCapture } from "./v1/create-request-capture.ts";
import { createV1Routes } from "./v1/create-v1-routes.ts";
import type { GatewayContext } from "./v1/gateway-context.ts";

export interface GatewayOptions {
  /** Default 127.0.0.1. Anything else needs gateway keys. */
  host?: string;
  /** Default 4000; 0 picks a free port. */
  port?: number;
  /** Let the web app's /app/api/summarize read pages on loopback and private addresses (default false). */
  allowPrivateAddresses?: boolean;
  /**
   * Also serve Ollama's API alone on this port of the same host (11434 for tools hard-wired to
   * Ollama's); 0 picks a free one. Same keys, limits and metrics; closed with the gateway.
   */
  ollamaPort?: number;
}

export interface Gateway {
  /** "http://HOST:PORT", without a trailing slash; the OpenAI base URL is `${url}/v1`. */
  readonly url: string;
  /** "http://HOST:PORT" of the Ollama-only listener, when `ollamaPort` was given. */
  readonly ollamaUrl: string | undefined;
  /**
   * Stops accepting connections, lets requests in flight finish (streams included) for up to
   * gateway.drainTimeoutMs, then closes what is left and writes the last usage rows.
   */
  close(): Promise<void>;
}

/** Starts the OpenAI-compatible gateway (`llmux serve`) on node:http. */
export async function startGateway(config: LlmuxConfig, options: GatewayOptions = {}): Promise<Gateway> {
  const host = options.host ?? "127.0.0.1";
  const port = options.port ?? 4000;
  // Unique per gateway, so that replicas on one PostgreSQL database see each other.
  const applicationName = `llmux-gateway ${randomBytes(4).toString("hex")}`;
  const store = await openStore(config, { applicationName });
  const log = (line: string) => process.stderr.write(`llmux: ${line}\n`);
  let limits: Limits | undefined;
  let keys: KeyGuard;
  try {
    limits = await openLimits(config, store, log);
    keys = await createKeyGuard(store.keys, { limits });
  } catch (error) {
    await limits?.close();
    await store.close();
    throw error;
  }
  const stopWarning =
    store.backend === "postgres" && redisUrl(config) === undefined
      ? warnPerReplicaLimits(store, applicationName, log)
      : () => undefined;
  // The summary cache stays in this machine's SQLite file, whatever the store: opened on first use.
  let local: ReturnType<typeof openDatabase> | undefined;
  let pools: Pools | undefined;
  // In Redis, its connection opens on first use: a gateway without cached requests never makes one.
  const cache = openResponseCache(config, log);
  const closeStore = async () => {
    await pools?.close();
    keys.close();
    stopWarning();
    await limits.close();
    await cache.close();
    local?.close();
    await store.close();
  };
  if (!isLoopbackHost(host) && !keys.hasKeys()) {
    await closeStore();
    throw new LlmuxError(
      "config",
      `Refusing to listen on ${host} without gateway keys: anyone who can reach it could spend your provider credit`,
      { hint: "Create a key with `llmux keys create`, or listen on 127.0.0.1" },
    );
  }
  let telemetry: GatewayTelemetry | undefined;
  try {
    telemetry = await openTelemetry(config, log);
  } catch (error) {
    await closeStore();
    throw error;
  }
  const capture = createRequestCapture();
  const registry = createProviderRegistry(config, { fetch: capture.fetch });
  const metrics = createMetrics({
    usage: store.usage,
    cacheBytes: () => cache.bytes(),
    pools: () => pools?.report() ?? {},
  });
  try {
    pools = createPools(config, registry, log);
  } catch (error) {
    await closeStore();
    throw error;
  }
  const context: GatewayContext = {
    config,
    registry,
    modelRoutes: createModelRoutes(registry),
    pools,
    metrics,
    keys,
    store,
    capture,
    recordUsage: (row) => store.usage.record(row),
    cache,
    telemetry,
  };

  const ollamaRoutes = createOllamaRoutes(context);
  const routes = createRouteTable([
    ...createV1Routes(context),
    ...createAnthropicRoutes(context),
    ...createResponsesRoutes(context),
    ...ollamaRoutes,
    ...createStatusRoutes(metrics, keys, pools),
    ...createAppRoutes({
      config,
      keys,
      recordUsage: context.recordUsage,
      get database() {
        local ??= openDatabase(config.paths.database);
        return local;
      },
      conversations: store.conversations,
      allowPrivateAddresses: options.allowPrivateAddresses ?? false,
    }),
  ]);
  const serve = (table: RouteTable) => {
    const server = createServer({ keepAliveTimeout: 65_000, noDelay: true });
    const listener = createRequestListener({
      routes: table,
      keys,
      metrics,
      admit: limitConnections(server, config.file.gateway.maxConnections),
      browserGuard: createBrowserGuard(config, host),
    });
    server.on("request", listener);
    server.on("clientError", answerClientError);
    return { server, listener };
  };
  const main = serve(routes);
  // Ollama's API alone, with its root: tools that know only Ollama's address find nothing else there.
  const ollama =
    options.ollamaPort === undefined
      ? undefined
      : serve(createRouteTable([...ollamaRoutes, ...createOllamaRootRoutes()], { dialect: ollamaDialect }));
  let mainUrl: string;
  let ollamaUrl: string | undefined;
  try {
    mainUrl = await listen(main.server, host, port, "--port");
    if (ollama) ollamaUrl = await listen(ollama.server, host, options.ollamaPort!, "--ollama-port");
  } catch (error) {
    main.server.close();
    await closeStore();
    await telemetry?.close();
    throw error;
  }
  const servers = ollama ? [main, ollama] : [main];

  let closing: Promise<void> | undefined;
  return {
    url: mainUrl,
    ollamaUrl,
    close() {
      closing ??= (async () => {
        const stopped = servers.map(
          ({ server }) => new Promise<void>((resolve) => server.close(() => resolve())),
        );
        for (const { server } of servers) server.closeIdleConnections();
        await Promise.race([
          Promise.all(servers.map(({ listener }) => listener.drained())),
          new Promise((resolve) => setTimeout(resolve, config.file.gateway.drainTimeoutMs).unref()),
        ]);
        for (const { server } of servers) server.closeAllConnections();
        await Promise.all(stopped);
        await closeStore();
        // The spans and metrics of the last requests, sent before the process may exit.
        await telemetry?.close();
      })();
      return closing;
    },
  };
}

/** Listens on `port` of `host`; resolves with "http://HOST:PORT" as bound. */
async function listen(server: Server, host: string, port: number, flag: string): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) => reject(listenError(error, host, port, flag)));
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return `http://${shownHost}:${address.port}`;
}

/** Why the gateway could not listen, in the words of `llmux serve` (its --host, and --port or --ollama-port). */
function listenError(error: NodeJS.ErrnoException, host: string, port: number, flag: string): LlmuxError {
  if (error.code === "EADDRINUSE") {
    return new LlmuxError("address_in_use", `Port ${port} on ${host} is already in use`, {
      cause: error,
      hint: `Stop the process that listens there, or pick another port with ${flag} N (${flag} 0 picks a free one)`,
    });
  }
  if (error.code === "EACCES") {
    return new LlmuxError("config", `Not allowed to listen on port ${port} of ${host}`, {
      cause: error,
      hint: `Ports below 1024 need privileges: pick another with ${flag} N`,
    });
  }
  if (error.code === "EADDRNOTAVAIL" || error.code === "ENOTFOUND" || error.code === "EAI_AGAIN") {
    return new LlmuxError("config", `${host} is not an address of this machine (${error.code})`, {
      cause: error,
      hint: "Give --host an address of this machine (127.0.0.1, 0.0.0.0 for all)",
    });
  }
  return new LlmuxError("config", `Cannot listen on ${host}:${port} (${error.code ?? error.message})`, {
    cause: error,
    hint: `Check --host and ${flag}`,
  });
}
