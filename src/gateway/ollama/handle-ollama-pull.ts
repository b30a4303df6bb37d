import type { IncomingMessage, ServerResponse } from "node:http";
import type { GatewayKey } from "../../store/gateway-keys.ts";
import { watchClient } from "../app/open-event-stream.ts";
import { prepareCatalogPull } from "../app/prepare-catalog-pull.ts";
import { parseJsonBody } from "../server/parse-json-body.ts";
import { readBody } from "../server/read-body.ts";
import { sendText } from "../server/send-text.ts";
import type { GatewayContext } from "../v1/gateway-context.ts";
import { ollamaDialect } from "./ollama-dialect.ts";
import { readOllamaModelField } from "./read-ollama-model-field.ts";

/**
 * POST /api/pull `{model}` (or `{name}`, as the npm client sends it): downloads a local model of
 * the catalog into the embedded engine's store, as the web app's pull does (prepareCatalogPull:
 * catalog names only). Progress streams as Ollama's does, one JSON object a line: "pulling
 * manifest", "downloading <file>" with `digest`, `total` and `completed`, "verifying sha256
 * digest", "writing manifest", then "success" (or an `error` line); `stream: false` answers
 * `{"status": "success"}` once done.
 */
export async function handleOllamaPull(
  context: GatewayContext,
  req: IncomingMessage,
  res: ServerResponse,
  key: GatewayKey | undefined,
): Promise<void> {
  const json = parseJsonBody(await readBody(req, context.config.file.gateway.bodyLimitBytes));
  const pull = await prepareCatalogPull(context, readOllamaModelField(json), key);
  const signal = watchClient(res);
  if (json.stream === false) {
    await pull.run(signal, () => {});
    return sendText(res, 200, "application/json; charset=utf-8", '{"status":"success"}');
  }
  res.writeHead(200, { "content-type": "application/x-ndjson", "cache-control": "no-cache" });
  const send = (line: Record<string, unknown>) => res.write(`${JSON.stringify(line)}\n`);
  send({ status: "pulling manifest" });
  try {
    await pull.run(signal, ({ receivedBytes, totalBytes }) =>
      send({
        status: `downloading ${pull.file}`,
        digest: pull.file,
        ...(totalBytes !== undefined && { total: totalBytes }),
        completed: receivedBytes,
      }),
    );
    // The download checks the hub's sha256 and installs atomically before it returns.
    send({ status: "verifying sha256 digest" });
    send({ status: "writing manifest" });
    send({ status: "success" });
  } catch (error) {
    if (!signal.aborted) send(ollamaDialect.toErrorResponse(error).body as Record<string, unknown>);
  } finally {
    res.end();
  }
}
