import type { IncomingMessage, ServerResponse } from "node:http";
import { findCatalogEntry } from "../../catalog/find-catalog-entry.ts";
import type { GatewayKey } from "../../store/gateway-keys.ts";
import { RequestError } from "../openai/request-error.ts";
import { toOpenAIError } from "../openai/to-openai-error.ts";
import { parseJsonBody } from "../server/parse-json-body.ts";
import { readBody } from "../server/read-body.ts";
import type { PullDone, PullProgress } from "./app-api-types.ts";
import type { AppContext } from "./app-context.ts";
import { openEventStream, watchClient } from "./open-event-stream.ts";

const PROGRESS_EVERY_MS = 250;

/**
 * POST /app/api/pull `{ model }`: downloads a model of the catalog (`local:llama3.2:1b`) into the
 * server's model store, as `llmux pull` does, streaming `progress` events, then `done` or
 * `error`. Only catalog names: a caller can never make the server fetch a URL or read a path.
 * A stopped download keeps its partial file, so the next pull resumes it.
 */
export async function handlePullRequest(
  req: IncomingMessage,
  res: ServerResponse,
  context: AppContext,
  key: GatewayKey | undefined,
): Promise<void> {
  const json = parseJsonBody(await readBody(req, context.config.file.gateway.bodyLimitBytes));
  const name = typeof json.model === "string" ? json.model.replace(/^local:/, "") : "";
  if (!findCatalogEntry("local", name)?.gguf) {
    throw new RequestError(404, `"${String(json.model)}" is not a local model of the catalog`, {
      param: "model",
      code: "model_not_found",
    });
  }
  const model = `local:${name}`;
  if (key) context.keys.authorize(key, [model]);

  const signal = watchClient(res);
  const send = openEventStream(res);
  let last = 0;
  try {
    const { pullModel } = await import("../../local/pull-model.ts");
    const pulled = await pullModel(name, {
      modelsDir: context.config.paths.models,
      env: context.config.env as NodeJS.ProcessEnv,
      signal,
      onProgress: ({ receivedBytes, totalBytes }) => {
        const now = Date.now();
        if (now - last < PROGRESS_EVERY_MS && receivedBytes !== totalBytes) return;
        last = now;
        send("progress", { receivedBytes, totalBytes: totalBytes ?? null } satisfies PullProgress);
      },
    });
    send("done", { model, sizeBytes: pulled.sizeBytes } satisfies PullDone);
  } catch (error) {
    if (!signal.aborted) send("error", toOpenAIError(error).body);
  } finally {
    res.end();
  }
}
