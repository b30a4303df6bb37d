/**
 * Loopback provider servers: real HTTP servers on 127.0.0.1 (random port) that speak each LLM
 * provider's wire protocol and replay the real responses recorded in ../shared/provider-fixtures.
 *
 *   const server = await startOpenAIServer([
 *     { fixture: "openai/chat/openai-text" },            // .chunks.txt if the request streams, else .json
 *     { status: 429, headers: { "retry-after": "1" } },   // the provider's own error body for that status
 *     { fixture: "openai/chat/openai-text", stallAfterEvents: 2 }, // 2 events, then hang until the client aborts
 *     { json: { ... } } or { chunks: [{ ... }, ...] },    // inline, for what no recording covers
 *   ]);
 *   createOpenAI({ baseURL: `${server.url}/v1`, apiKey: "test" }).chat("gpt-4.1-nano");
 *   server.requests        // method, path, pathname, headers (lower-cased), body, json of every request
 *   server.closedByClient  // responses the client abandoned; await server.whenClosedByClient() in abort tests
 *   await server.close();
 *
 * One scripted response is used per request served (a route the protocol does not know gets a 404
 * and uses none); the last one repeats. Base URLs for the AI SDK providers:
 *   OpenAI & compatible  startOpenAIServer     `${url}/v1` (any prefix: Groq `/openai/v1`, OpenRouter `/api/v1`, ...)
 *   Anthropic            startAnthropicServer  `${url}/v1`
 *   Gemini / Vertex      startGeminiServer     `${url}/v1beta`
 *   Cohere               startCohereServer     `${url}/v2`
 *   Bedrock Converse     startBedrockServer    `${url}` (with explicit region and access keys)
 *   Ollama               startOllamaServer     `${url}/api` (script it with `ollamaResponses`)
 * Pass `maxRetries: 0` to the AI SDK when a test expects an error, or it retries with backoff.
 */
export { type OllamaChatOptions, ollamaResponses } from "./ollama-responses.ts";
export { type Fixture, readFixture } from "./read-fixture.ts";
export { recordedAnthropicStreamText, recordedOpenAIStream } from "./recorded-streams.ts";
export { startAnthropicServer } from "./start-anthropic-server.ts";
export { startBedrockServer } from "./start-bedrock-server.ts";
export { startCohereServer } from "./start-cohere-server.ts";
export { startGeminiServer } from "./start-gemini-server.ts";
export { startOllamaServer } from "./start-ollama-server.ts";
export { startOpenAIServer } from "./start-openai-server.ts";
export type { ProviderServer, RecordedRequest, ResponseSpec, WireProtocol } from "./start-provider-server.ts";
export { startProviderServer } from "./start-provider-server.ts";
