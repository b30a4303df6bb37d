import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import { parseEnv } from "node:util";
import type { z } from "zod";
import { LlmuxError } from "./errors.ts";
import { headerSecrets } from "./header-secrets.ts";
import { type LlmuxPaths, resolvePaths } from "./paths.ts";
import { registerSecrets, SECRET_NAME } from "./redact-secrets.ts";

// zod is most of what `import "llmux"` would otherwise load: it is required on the first
// loadConfig instead (its CommonJS build, since loadConfig is synchronous).
const requireHere = createRequire(import.meta.url);
let schemas: ConfigSchemas | undefined;

function configSchemas(): ConfigSchemas {
  schemas ??= buildConfigSchemas((requireHere("zod") as { z: typeof z }).z);
  return schemas;
}

type ConfigSchemas = ReturnType<typeof buildConfigSchemas>;

/** The config file's schema, built with the zod it is given. */
function buildConfigSchemas(z: typeof import("zod").z) {
  /**
   * A map keyed by names the user (or a client, through the gateway) chooses: built without a
   * prototype, so a name such as "__proto__" or "valueOf" finds nothing rather than
   * Object.prototype's members.
   */
  function keyedBy<T extends z.ZodType>(value: T) {
    return z
      .record(z.string(), value)
      .transform((entries) => Object.assign(Object.create(null) as Record<string, z.infer<T>>, entries));
  }

  const providerSettingsSchema = z
    .object({
      apiKey: z.string().optional(),
      baseURL: z.string().url().optional(),
      headers: keyedBy(z.string()).optional(),
      // Azure
      resourceName: z.string().optional(),
      apiVersion: z.string().optional(),
      // Bedrock, Vertex
      region: z.string().optional(),
      project: z.string().optional(),
      location: z.string().optional(),
      // Ollama: the context window sent as num_ctx (Ollama truncates silently at its own default)
      numCtx: z.number().int().positive().optional(),
    })
    .strict();

  const endpointSchema = z
    .object({
      baseURL: z.string().url(),
      apiKey: z.string().optional(),
      apiKeyEnv: z.string().optional(),
      headers: keyedBy(z.string()).optional(),
      models: z.array(z.string()).optional(),
    })
    .strict();

  // `llmux serve`: several deployments answering under one model name (see src/gateway/pools/).
  const poolSchema = z
    .object({
      strategy: z
        .enum(["least-outstanding", "weighted-random", "lowest-latency"])
        .default("least-outstanding"),
      deployments: z
        .array(
          z
            .object({
              /** provider:model, e.g. an endpoint's `vllm-a:llama-3.1-8b`. */
              model: z.string().regex(/^[^:\s]+:\S+$/, "expected a model reference, provider:model"),
              weight: z.number().positive().default(1),
              /** Requests this deployment serves at once; more go to the others. */
              maxConcurrent: z.number().int().positive().optional(),
            })
            .strict(),
        )
        .min(1, "a pool needs at least one deployment"),
      /** Keep one user (the request's user id) or conversation (x-llmux-session) on one deployment. */
      sticky: z.enum(["user", "conversation"]).optional(),
      ejectAfterFailures: z.number().int().positive().default(3),
      cooldownMs: z.number().int().positive().default(5000),
      maxCooldownMs: z.number().int().positive().default(300_000),
      /** Off with false; default on for self-hosted servers (endpoints, Ollama). */
      healthCheck: z
        .union([
          z.literal(false),
          z
            .object({
              intervalMs: z.number().int().positive().default(10_000),
              timeoutMs: z.number().int().positive().default(2000),
            })
            .strict(),
        ])
        .optional(),
    })
    .strict();

  // `llmux serve`: fallbacks and per-model timeouts are keyed by the model reference clients send.
  const gatewaySchema = z
    .object({
      /** Models tried in order when one fails before anything reached the client. */
      fallbacks: keyedBy(z.array(z.string()).min(1)).prefault({}),
      /** Model names served by several deployments, keyed by the name clients send. */
      pools: keyedBy(poolSchema).prefault({}),
      /** Per-request limit for every model (default: the top-level timeoutMs). */
      timeoutMs: z.number().int().positive().optional(),
      /** Per-model limits, overriding timeoutMs. */
      timeouts: keyedBy(z.number().int().positive()).prefault({}),
      /** Retries of one model on 429, 5xx and connection errors (default: the top-level maxRetries). */
      maxRetries: z.number().int().min(0).max(10).optional(),
      /** First retry delay; doubles each time, capped at 8 s (a provider's retry-after wins when shorter). */
      retryBaseMs: z.number().int().min(0).default(250),
      bodyLimitBytes: z
        .number()
        .int()
        .positive()
        .default(16 * 1024 * 1024),
      /** How long SIGTERM waits for requests in flight before closing their connections. */
      drainTimeoutMs: z.number().int().min(0).default(30_000),
      /** Host names (beyond the gateway's own) a request may name in its Host header; "*" for any. */
      allowedHosts: z.array(z.string().min(1)).default([]),
      /** Web origins (beyond the gateway's own) allowed to call it, with CORS; "*" wildcards. */
      allowedOrigins: z.array(z.string().min(1)).default([]),
      /** Open connections answered; requests on more get a 503 with Retry-After. */
      maxConnections: z.number().int().positive().default(512),
      /** Exact-match response cache (README: Response cache); in Redis when redis.url is set. */
      cache: z
        .object({
          /** Every key's requests use it (else only keys made with --cache, or `x-llmux-cache: on`). */
          enabled: z.boolean().default(false),
          ttlSeconds: z.number().positive().default(3600),
          /** All answers held in one process's memory; the least recently used go first. */
          maxBytes: z.number().int().positive().default(100_000_000),
          /** A larger answer is passed on but not kept. */
          maxEntryBytes: z.number().int().positive().default(1_000_000),
          /** Cache requests with a temperature above 0 (or none, where the provider's default is above 0). */
          nonZeroTemperature: z.boolean().default(false),
          /** One cache for all keys; by default each key sees only the answers its own requests got. */
          shared: z.boolean().default(false),
        })
        .strict()
        .prefault({}),
    })
    .strict();

  const configFileSchema = z
    .object({
      defaultModel: z.string().optional(),
      aliases: keyedBy(z.string()).prefault({}),
      providers: keyedBy(providerSettingsSchema).prefault({}),
      endpoints: keyedBy(endpointSchema).prefault({}),
      local: z
        .object({
          threads: z.number().int().positive().optional(),
          contextSize: z.number().int().positive().optional(),
          idleUnloadSeconds: z.number().positive().optional(),
          /** Requests that may wait for one model while it serves others (default 16); more are `busy`. */
          maxQueue: z.number().int().min(0).optional(),
        })
        .strict()
        .default({}),
      usageLog: z
        .object({ library: z.boolean().default(false) })
        .strict()
        .default({ library: false }),
      /** Finished summaries kept (llmux summarize, the web app); least recently used go first. */
      summaryCache: z
        .object({ maxBytes: z.number().int().positive().default(50_000_000) })
        .strict()
        .prefault({}),
      /** Where keys, usage, conversations and stored Responses live: SQLite (default) or PostgreSQL. */
      database: z
        .object({
          /** postgres://USER:PASSWORD@HOST:PORT/DB; LLMUX_DATABASE_URL wins. Unset: the SQLite file. */
          url: z.string().min(1).optional(),
          /** Usage rows the gateway holds in memory while the database is unreachable. */
          usageBufferRows: z.number().int().positive().default(100_000),
        })
        .strict()
        .prefault({}),
      /** Counters shared by gateway replicas (rpm, budget holds); unset: each process counts its own. */
      redis: z
        .object({
          /** redis://[:PASSWORD@]HOST:6379; LLMUX_REDIS_URL wins. */
          url: z.string().min(1).optional(),
          /** While Redis is unreachable, count in each process (true) rather than answer 503 (false). */
          failOpen: z.boolean().default(false),
        })
        .strict()
        .prefault({}),
      maxRetries: z.number().int().min(0).max(10).default(2),
      timeoutMs: z.number().int().positive().default(600_000),
      gateway: gatewaySchema.prefault({}),
      /** The gateway's OpenTelemetry traces and metrics (OTLP/HTTP); off unless an endpoint is set. */
      telemetry: z
        .object({
          /** The collector's OTLP/HTTP base URL (http://collector:4318); OTEL_EXPORTER_OTLP_ENDPOINT wins. */
          otlpEndpoint: z.string().url().optional(),
          /** Sent with every export (a collector's API key); OTEL_EXPORTER_OTLP_HEADERS wins per name. */
          headers: keyedBy(z.string()).prefault({}),
          serviceName: z.string().min(1).default("llmux-gateway"),
          /** Export the prompt with the spans (off: no prompt or answer text is ever exported). */
          captureMessageContent: z.boolean().default(false),
          metricsIntervalMs: z.number().int().positive().default(60_000),
        })
        .strict()
        .prefault({}),
      /**
       * USD per million tokens by model reference ("vllm:my-model"), for models the catalog does not
       * price or priced otherwise by your contract; they win over the catalog (see resolvePricing).
       */
      prices: keyedBy(
        z.strictObject({
          inputPerMTok: z.number().nonnegative(),
          outputPerMTok: z.number().nonnegative(),
          cachedInputPerMTok: z.number().nonnegative().optional(),
        }),
      ).prefault({}),
    })
    .strict();

  return { providerSettingsSchema, endpointSchema, poolSchema, gatewaySchema, configFileSchema };
}

type ConfigFile = z.infer<ConfigSchemas["configFileSchema"]>;
export type ProviderSettings = z.infer<ConfigSchemas["providerSettingsSchema"]>;
export type EndpointSettings = z.infer<ConfigSchemas["endpointSchema"]>;
export type PoolSettings = z.infer<ConfigSchemas["poolSchema"]>;

export interface LlmuxConfig {
  file: ConfigFile;
  /** Where the config file was looked for (it may not exist). */
  configPath: string;
  /** process.env with `.env` from the working directory underneath (real env vars win). */
  env: Readonly<Record<string, string | undefined>>;
  paths: LlmuxPaths;
}

export interface LoadConfigOptions {
  configPath?: string;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}

export function loadConfig(options: LoadConfigOptions = {}): LlmuxConfig {
  const cwd = options.cwd ?? process.cwd();
  const env = { ...readDotEnv(join(cwd, ".env")), ...(options.env ?? process.env) };
  const paths = resolvePaths(env);
  const explicit = options.configPath ?? env.LLMUX_CONFIG;
  const configPath = explicit ? resolve(cwd, explicit) : paths.configFile;
  if (explicit && !existsSync(configPath)) {
    throw new LlmuxError("config", `Config file ${configPath} does not exist`, {
      hint: "Check the path given to --config",
    });
  }
  const file = readConfigFile(configPath);
  registerSecrets(resolvedSecrets(file, env));
  return { file, configPath, env, paths };
}

/**
 * Every credential this configuration resolves, so that redactSecrets scrubs its exact value from
 * any message, whatever its shape: env and `.env` values of secret-named variables (every
 * provider's key variable, AWS secret keys and session tokens), endpoints' `apiKeyEnv` variables,
 * and the config file's `apiKey`s and header values (an `Authorization` header's token too).
 */
function resolvedSecrets(file: ConfigFile, env: Readonly<Record<string, string | undefined>>): string[] {
  const secrets: string[] = [];
  for (const [name, value] of Object.entries(env)) if (value && SECRET_NAME.test(name)) secrets.push(value);
  for (const settings of [...Object.values(file.providers), ...Object.values(file.endpoints)]) {
    if (settings.apiKey) secrets.push(settings.apiKey);
    for (const value of Object.values(settings.headers ?? {})) secrets.push(...headerSecrets(value));
    const keyEnv = "apiKeyEnv" in settings ? settings.apiKeyEnv : undefined;
    if (keyEnv) secrets.push(env[keyEnv] ?? "");
  }
  for (const value of Object.values(file.telemetry.headers)) secrets.push(...headerSecrets(value));
  // The database's and Redis's URLs' passwords (their own words: not secret-named variables).
  for (const url of [env.LLMUX_DATABASE_URL, file.database.url, env.LLMUX_REDIS_URL, file.redis.url]) {
    secrets.push(databasePassword(url));
  }
  return secrets;
}

function databasePassword(url: string | undefined): string {
  try {
    return url ? decodeURIComponent(new URL(url).password) : "";
  } catch {
    return "";
  }
}

function readDotEnv(path: string): Record<string, string> {
  if (!existsSync(path)) return {};
  try {
    return parseEnv(readFileSync(path, "utf8")) as Record<string, string>;
  } catch (error) {
    throw new LlmuxError("config", `Could not read ${path}`, {
      cause: error,
      hint: "Fix or remove the .env file",
    });
  }
}

function readConfigFile(path: string): ConfigFile {
  const { configFileSchema } = configSchemas();
  if (!existsSync(path)) return configFileSchema.parse({});
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new LlmuxError("config", `Config file ${path} is not valid JSON (${(error as Error).message})`, {
      hint: "Fix the JSON syntax, or pass another file with --config",
    });
  }
  const parsed = configFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.join(".") || "(top level)";
    throw new LlmuxError("config", `Config file ${path}: ${where}: ${issue?.message ?? "invalid"}`, {
      hint: "See the configuration section of the README",
    });
  }
  return parsed.data;
}
