import type { IncomingMessage, ServerResponse } from "node:http";
import type { GatewayKey } from "../../store/gateway-keys.ts";
import { toOpenAIError } from "../openai/to-openai-error.ts";
import { parseJsonBody } from "../server/parse-json-body.ts";
import { readBody } from "../server/read-body.ts";
import type { PullDone, PullProgress } from "./app-api-types.ts";
import type { AppContext } from "./app-context.ts";
import { openEventStream, watchClient } from "./open-event-stream.ts";
import { prepareCatalogPull } from "./prepare-catalog-pull.ts";

/**
 * POST /app/api/pull `{ model }`: downloads a model of the catalog (`local:llama3.2:1b`) into the
 * server's model store, as `llmux pull` does, streaming `progress` events, then `done` or
 * `error`. Only catalog names (prepareCatalogPull).
 */
export async function handlePullRequest(
  req: IncomingMessage,
  res: ServerResponse,
  context: AppContext,
  key: GatewayKey | undefined,
): Promise<void> {
  const json = parseJsonBody(await readBody(req, context.config.file.gateway.bodyLimitBytes));
  const pull = await prepareCatalogPull(context, json.model, key);

  const signal = watchClient(res);
  const send = openEventStream(res);
  try {
    const pulled = await pull.run(signal, ({ receivedBytes, totalBytes }) =>
      send("progress", { receivedBytes, totalBytes: totalBytes ?? null } satisfies PullProgress),
    );
    send("done", { model: pull.model, sizeBytes: pulled.sizeBytes } satisfies PullDone);
  } catch (error) {
    if (!signal.aborted) send("error", toOpenAIError(error).body);
  } finally {
    res.end();
  }
}
