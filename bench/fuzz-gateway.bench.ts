// Property-based fuzzing of the gateway's request parsers: random and half-valid bodies, headers
// and URLs against a running `llmux serve` (the built CLI, its own process), N cases per route.
// The property: every request gets a success or an error in the OpenAI error shape, never a 5xx
// of the gateway's own making (an upstream's failure relayed is fine), and the server never
// crashes. Upstreams are loopback stand-ins; nothing leaves the machine.
//   node --import tsx bench/fuzz-gateway.bench.ts [CASES_PER_ROUTE=10000] [SEED]
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import fc from "fast-check";
import { startOpenAIServer } from "../test/servers/index.ts";

const CASES = Number(process.argv[2] ?? 10_000);
const SEED = process.argv[3] === undefined ? Date.now() : Number(process.argv[3]);

// Every provider the gateway could reach points at loopback: the OpenAI stand-in, or a closed port.
const CLOSED = "http://127.0.0.1:9";
const openai = await startOpenAIServer([{ fixture: "openai/chat/openai-text" }]);
const embeddings = await startOpenAIServer([{ fixture: "openai/embedding/openai-embedding" }]);
const home = mkdtempSync(join(tmpdir(), "llmux-fuzz-"));
writeFileSync(
  join(home, "config.json"),
  JSON.stringify({
    maxRetries: 0,
    aliases: { embed: "openai:text-embedding-3-small" },
    endpoints: { stand: { baseURL: `${embeddings.url}/v1` } },
  }),
);
const server = spawn(process.execPath, [resolve("dist/cli/main.js"), "serve", "--port", "0"], {
  env: {
    PATH: process.env.PATH ?? "",
    LLMUX_HOME: home,
    OPENAI_API_KEY: "sk-fuzz-0000000000",
    OPENAI_BASE_URL: `${openai.url}/v1`,
    OLLAMA_HOST: CLOSED,
    HF_ENDPOINT: CLOSED,
    AWS_EC2_METADATA_DISABLED: "true",
  },
  stdio: ["ignore", "pipe", "pipe"],
});
let serverLog = "";
server.stderr.on("data", (chunk: Buffer) => {
  serverLog += chunk;
});
let crashed = false;
server.on("exit", () => {
  crashed = true;
});
const base = await new Promise<string>((done) => {
  let text = "";
  server.stdout.on("data", (chunk: Buffer) => {
    text += chunk;
    const url = /^(http:\/\/127\.0\.0\.1:\d+)\n/.exec(text)?.[1];
    if (url) done(url);
  });
});

// Model names: the ones that work, ones that fail in known ways, and junk. Never a provider that
// would look for cloud credentials on the network.
const modelName = fc.oneof(
  fc.constantFrom(
    "openai:gpt-4.1-nano",
    "gpt-4.1-nano",
    "anthropic:claude-haiku-4-5",
    "stand:anything",
    "embed",
    "local:/etc/passwd",
    "local:../../x.gguf",
    "",
  ),
  fc.string({ maxLength: 40 }).filter((s) => !/^(bedrock|vertex|azure|google|ollama)\b/i.test(s)),
);
const content = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.array(
    fc.oneof(
      fc.record({ type: fc.constant("text"), text: fc.string({ maxLength: 50 }) }),
      fc.record({
        type: fc.constant("image_url"),
        image_url: fc.record({ url: fc.string({ maxLength: 50 }) }),
      }),
      fc.anything({ maxDepth: 2 }),
    ),
    { maxLength: 4 },
  ),
  fc.anything({ maxDepth: 2 }),
);
const message = fc.record(
  {
    role: fc.oneof(
      fc.constantFrom("system", "user", "assistant", "tool", "developer"),
      fc.string({ maxLength: 10 }),
    ),
    content,
    name: fc.string({ maxLength: 10 }),
    tool_call_id: fc.string({ maxLength: 10 }),
    tool_calls: fc.anything({ maxDepth: 3 }),
  },
  { requiredKeys: ["role"] },
);
const chatBody = fc.record(
  {
    model: modelName,
    messages: fc.oneof(fc.array(message, { maxLength: 5 }), fc.anything({ maxDepth: 2 })),
    stream: fc.oneof(fc.boolean(), fc.anything({ maxDepth: 1 })),
    temperature: fc.oneof(fc.double(), fc.anything({ maxDepth: 1 })),
    max_tokens: fc.oneof(fc.integer(), fc.anything({ maxDepth: 1 })),
    tools: fc.anything({ maxDepth: 4 }),
    tool_choice: fc.anything({ maxDepth: 2 }),
    response_format: fc.anything({ maxDepth: 3 }),
    stream_options: fc.anything({ maxDepth: 2 }),
    stop: fc.anything({ maxDepth: 2 }),
  },
  { requiredKeys: [] },
);
const embeddingsBody = fc.record(
  {
    model: modelName,
    input: fc.oneof(
      fc.string({ maxLength: 100 }),
      fc.array(fc.string({ maxLength: 20 }), { maxLength: 5 }),
      fc.anything({ maxDepth: 2 }),
    ),
    encoding_format: fc.anything({ maxDepth: 1 }),
    dimensions: fc.anything({ maxDepth: 1 }),
  },
  { requiredKeys: [] },
);
const conversationBody = fc.record(
  {
    title: fc.anything({ maxDepth: 1 }),
    model: modelName,
    system: fc.anything({ maxDepth: 1 }),
    messages: fc.oneof(fc.array(message, { maxLength: 4 }), fc.anything({ maxDepth: 2 })),
  },
  { requiredKeys: [] },
);
// Only loopback pages: the gateway refuses them (no --allow-private), so nothing is fetched.
const summarizeBody = fc.record(
  {
    url: fc.oneof(
      fc.string({ maxLength: 30 }).map((path) => `http://127.0.0.1:9/${encodeURIComponent(path)}`),
      fc.string({ maxLength: 40 }).filter((s) => !/^https?:/i.test(s.trim())),
      fc.anything({ maxDepth: 1 }),
    ),
    model: modelName,
    length: fc.anything({ maxDepth: 1 }),
    language: fc.anything({ maxDepth: 1 }),
  },
  { requiredKeys: [] },
);

/** A body as a client might botch it: the value as JSON, raw junk, or truncated JSON. */
const asText = (value: fc.Arbitrary<unknown>) =>
  fc.oneof(
    { weight: 6, arbitrary: value.map((v) => JSON.stringify(v) ?? "null") },
    { weight: 1, arbitrary: fc.string({ maxLength: 100 }) },
    { weight: 1, arbitrary: value.chain((v) => fc.nat().map((n) => (JSON.stringify(v) ?? "").slice(0, n))) },
    { weight: 1, arbitrary: fc.nat({ max: 5000 }).map((n) => "[".repeat(n)) },
  );

const ROUTES: Array<{
  name: string;
  method: string;
  path: fc.Arbitrary<string>;
  body?: fc.Arbitrary<string>;
}> = [
  {
    name: "POST /v1/chat/completions",
    method: "POST",
    path: fc.constant("/v1/chat/completions"),
    body: asText(chatBody),
  },
  {
    name: "POST /v1/embeddings",
    method: "POST",
    path: fc.constant("/v1/embeddings"),
    body: asText(embeddingsBody),
  },
  {
    name: "POST /app/api/conversations",
    method: "POST",
    path: fc.constant("/app/api/conversations"),
    body: asText(conversationBody),
  },
  {
    name: "PATCH /app/api/conversations/:id",
    method: "PATCH",
    path: fc
      .oneof(fc.uuid(), fc.string({ maxLength: 20 }))
      .map((id) => `/app/api/conversations/${encodeURIComponent(id)}`),
    body: asText(conversationBody),
  },
  {
    name: "POST /app/api/summarize",
    method: "POST",
    path: fc.constant("/app/api/summarize"),
    body: asText(summarizeBody),
  },
  {
    name: "POST /app/api/pull",
    method: "POST",
    path: fc.constant("/app/api/pull"),
    body: asText(fc.record({ model: modelName }, { requiredKeys: [] })),
  },
  {
    name: "GET URLs with any bytes",
    method: "GET",
    path: fc
      .tuple(
        fc.constantFrom("/v1/models/", "/app/api/conversations/", "/app/api/", "/api/", "/v1/", "/"),
        fc.stringMatching(/^[A-Za-z0-9%._~:/?#[\]@!$&'()*+,;=-]{0,30}$/),
      )
      .map(([prefix, rest]) => prefix + rest),
  },
];

const UPSTREAM_FAULTS = new Set(["provider_error", "network", "timeout", "busy", "invalid_output"]);
const failures: string[] = [];
console.log(`seed ${SEED}, ${CASES} cases per route against ${base}`);
for (const route of ROUTES) {
  const statuses = new Map<number, number>();
  const started = performance.now();
  const property = fc.asyncProperty(route.path, route.body ?? fc.constant(undefined), async (path, body) => {
    if (crashed) throw new Error("the gateway exited");
    const response = await fetch(`${base}${path}`, {
      method: route.method,
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body,
    });
    const text = await response.text();
    statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
    if (response.status >= 400) {
      const error = (JSON.parse(text) as { error?: { message?: unknown; type?: unknown; code?: unknown } })
        .error;
      if (typeof error?.message !== "string" || typeof error.type !== "string")
        throw new Error(`${response.status} without an OpenAI error body: ${text.slice(0, 200)}`);
      // A 5xx is fine only when it is the upstream's (the stand-ins answer any route with one
      // recording, so a streamed chat on the embeddings stand-in fails there), never our own.
      if (response.status >= 500 && !UPSTREAM_FAULTS.has(String(error.code)))
        throw new Error(
          `${response.status} for ${route.method} ${path} ${body?.slice(0, 300)}: ${text.slice(0, 300)}`,
        );
    }
  });
  const result = await fc.check(property, { numRuns: CASES, seed: SEED, endOnFailure: true });
  const seconds = (performance.now() - started) / 1000;
  const spread = [...statuses]
    .sort(([a], [b]) => a - b)
    .map(([status, n]) => `${status}:${n}`)
    .join(" ");
  console.log(
    `${route.name.padEnd(30)} ${result.numRuns} cases in ${seconds.toFixed(1)} s  ${result.failed ? "FAILED" : "ok"}  ${spread}`,
  );
  if (result.failed) failures.push(`${route.name}: ${fc.defaultReportMessage(result)}`);
}

server.kill("SIGTERM");
await new Promise((done) => server.once("exit", done));
await Promise.all([openai.close(), embeddings.close()]);
rmSync(home, { recursive: true, force: true });
if (crashed && failures.length === 0 && server.exitCode !== 0)
  failures.push(`the gateway crashed: ${serverLog}`);
if (failures.length > 0) {
  console.log(failures.join("\n\n"));
  process.exitCode = 1;
} else console.log("no 5xx of the gateway's own, every error in the OpenAI shape, no crash");
