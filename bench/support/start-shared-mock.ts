import { resolve } from "node:path";
import { freePort } from "./free-port.ts";
import { startBenchProcess } from "./start-bench-process.ts";

/** The shared harness's mock upstream (OpenAI chat completions and Anthropic Messages): its /v1 base URL. */
export async function startSharedMock(): Promise<string> {
  const port = await freePort();
  await startBenchProcess([
    process.execPath,
    resolve("../shared/gateway-bench/harness/mock-upstream.mjs"),
    "--port",
    String(port),
  ]);
  return `http://127.0.0.1:${port}/v1`;
}
