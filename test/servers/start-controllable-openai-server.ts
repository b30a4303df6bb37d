import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";

/** What the server does with a request while `failure` is set. */
export type UpstreamFailure = "none" | "500" | "reset";

export interface ControllableOpenAIServer {
  /** "http://127.0.0.1:PORT"; the OpenAI base URL is `${url}/v1`. */
  readonly url: string;
  /** Chat completions received (any outcome). */
  readonly received: number;
  /** Chat completions answered with a 200. */
  readonly answered: number;
  /** Milliseconds before the answer (a stream's first chunk); may be changed while running. */
  latencyMs: number;
  /** "500": every route answers a server error; "reset": every connection is dropped unanswered. */
  failure: UpstreamFailure;
  /** Stops listening and drops open connections (requests in flight included): connections are refused until up(). */
  down(): Promise<void>;
  /** Listens again, on the same port. */
  up(): Promise<void>;
  close(): Promise<void>;
}

/**
 * A loopback OpenAI-compatible server whose latency, failures and presence a test changes while
 * it runs: POST /v1/chat/completions (whole, or streamed with `stream: true`, with the usage chunk
 * when include_usage asks) and GET /v1/models, answering as model `modelId`.
 */
export async function startControllableOpenAIServer(
  options: { latencyMs?: number; modelId?: string } = {},
): Promise<ControllableOpenAIServer> {
  const modelId = options.modelId ?? "m";
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => void answer(req, res));
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  let port = 0;
  const listen = () =>
    new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, "127.0.0.1", () => {
        server.off("error", reject);
        port = (server.address() as AddressInfo).port;
        resolve();
      });
    });
  const stop = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      for (const socket of sockets) socket.destroy();
    });

  const state = {
    received: 0,
    answered: 0,
    latencyMs: options.latencyMs ?? 0,
    failure: "none" as UpstreamFailure,
  };

  async function answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const path = (req.url ?? "/").split("?", 1)[0];
    const isChat = req.method === "POST" && path === "/v1/chat/completions";
    if (isChat) state.received++;
    if (state.failure === "reset") {
      req.socket.destroy();
      return;
    }
    if (state.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, state.latencyMs));
    if (res.destroyed) return;
    if (state.failure === "500") {
      res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: { message: "upstream failure", type: "server_error", code: null } }));
      return;
    }
    if (req.method === "GET" && path === "/v1/models") {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ object: "list", data: [{ id: modelId, object: "model", owned_by: "test" }] }));
      return;
    }
    if (!isChat) {
      res.writeHead(404, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: { message: `no route ${path}`, type: "invalid_request_error" } }));
      return;
    }
    const json = JSON.parse(Buffer.concat(chunks).toString("utf8")) as {
      stream?: boolean;
      stream_options?: { include_usage?: boolean };
    };
    const id = `chatcmpl-${state.received}`;
    const created = Math.floor(Date.now() / 1000);
    const usage = { prompt_tokens: 5, completion_tokens: 2, total_tokens: 7 };
    const port = server.address() as AddressInfo;
    const text = `served by ${port.port}`;
    state.answered++;
    if (json.stream !== true) {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(
        JSON.stringify({
          id,
          object: "chat.completion",
          created,
          model: modelId,
          choices: [{ index: 0, message: { role: "assistant", content: text }, finish_reason: "stop" }],
          usage,
        }),
      );
      return;
    }
    res.writeHead(200, { "content-type": "text/event-stream; charset=utf-8" });
    const chunk = (delta: object, finish: string | null, extra: object = {}) =>
      `data: ${JSON.stringify({ id, object: "chat.completion.chunk", created, model: modelId, choices: [{ index: 0, delta, finish_reason: finish }], ...extra })}\n\n`;
    res.write(chunk({ role: "assistant", content: "" }, null));
    for (const word of text.split(" ")) res.write(chunk({ content: `${word} ` }, null));
    res.write(chunk({}, "stop"));
    if (json.stream_options?.include_usage) {
      res.write(
        `data: ${JSON.stringify({ id, object: "chat.completion.chunk", created, model: modelId, choices: [], usage })}\n\n`,
      );
    }
    res.end("data: [DONE]\n\n");
  }

  await listen();
  return {
    url: `http://127.0.0.1:${port}`,
    get received() {
      return state.received;
    },
    get answered() {
      return state.answered;
    },
    get latencyMs() {
      return state.latencyMs;
    },
    set latencyMs(value) {
      state.latencyMs = value;
    },
    get failure() {
      return state.failure;
    },
    set failure(value) {
      state.failure = value;
    },
    down: stop,
    up: listen,
    close: async () => {
      if (server.listening) await stop();
    },
  };
}
