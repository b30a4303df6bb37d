// The two upstream protocols the shared harness's mock (../shared/gateway-bench/harness/mock-upstream.mjs)
// does not speak, with the same content, chunk count and usage: OpenAI's Responses
// (`POST /v1/responses`, JSON or SSE) and Ollama's native chat (`POST /api/chat`, JSON or NDJSON).
// Used by gateway.bench.mjs for the dialects' passthrough routes.
//
//   node bench/dialect-mock-upstream.mjs [--port 18002] [--chunks 20]
import http from "node:http";

const argument = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const PORT = Number(argument("--port", "18002"));
const CHUNKS = Number(argument("--chunks", "20"));
const CONTENT = "Hello! This is a fixed mock completion used for gateway benchmarking.";

function responseObject(model, text, outputTokens) {
  return {
    id: "resp_mock123",
    object: "response",
    created_at: Math.floor(Date.now() / 1000),
    status: "completed",
    model,
    output: [
      {
        id: "msg_mock123",
        type: "message",
        role: "assistant",
        status: "completed",
        content: [{ type: "output_text", text, annotations: [] }],
      },
    ],
    usage: {
      input_tokens: 19,
      input_tokens_details: { cached_tokens: 0 },
      output_tokens: outputTokens,
      output_tokens_details: { reasoning_tokens: 0 },
      total_tokens: 19 + outputTokens,
    },
  };
}

function responsesEvents(model) {
  let sequence = 0;
  const event = (type, fields) =>
    `event: ${type}\ndata: ${JSON.stringify({ type, sequence_number: sequence++, ...fields })}\n\n`;
  const started = { ...responseObject(model, "", 0), status: "in_progress", output: [], usage: null };
  const item = { id: "msg_mock123", type: "message", role: "assistant", status: "in_progress", content: [] };
  const out = [
    event("response.created", { response: started }),
    event("response.in_progress", { response: started }),
    event("response.output_item.added", { output_index: 0, item }),
    event("response.content_part.added", {
      item_id: item.id,
      output_index: 0,
      content_index: 0,
      part: { type: "output_text", text: "", annotations: [] },
    }),
  ];
  let text = "";
  for (let i = 0; i < CHUNKS; i++) {
    text += `tok${i} `;
    out.push(
      event("response.output_text.delta", {
        item_id: item.id,
        output_index: 0,
        content_index: 0,
        delta: `tok${i} `,
      }),
    );
  }
  const done = responseObject(model, text, CHUNKS);
  out.push(
    event("response.output_text.done", { item_id: item.id, output_index: 0, content_index: 0, text }),
    event("response.output_item.done", { output_index: 0, item: done.output[0] }),
    event("response.completed", { response: done }),
  );
  return out;
}

function ollamaMessage(model, content, done) {
  return {
    model,
    created_at: new Date().toISOString(),
    message: { role: "assistant", content },
    done,
    ...(done && {
      done_reason: "stop",
      total_duration: 1_000_000,
      load_duration: 0,
      prompt_eval_count: 19,
      prompt_eval_duration: 100_000,
      eval_count: CHUNKS,
      eval_duration: 900_000,
    }),
  };
}

function ollamaLines(model) {
  const lines = [];
  for (let i = 0; i < CHUNKS; i++) lines.push(`${JSON.stringify(ollamaMessage(model, `tok${i} `, false))}\n`);
  lines.push(`${JSON.stringify(ollamaMessage(model, "", true))}\n`);
  return lines;
}

const cache = new Map();
const cached = (key, make) => {
  let value = cache.get(key);
  if (value === undefined) {
    value = make();
    if (cache.size < 1000) cache.set(key, value);
  }
  return value;
};

// With its length, as the shared mock and the real servers send a whole answer (not chunked).
function sendWhole(res, json) {
  res
    .writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(json) })
    .end(json);
}

http
  .createServer((req, res) => {
    const chunks = [];
    req.on("data", (chunk) => chunks.push(chunk));
    req.on("end", () => {
      let body;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
      } catch {
        res.writeHead(400).end("bad json");
        return;
      }
      const model = String(body.model ?? "mock");
      // Azure OpenAI addresses its v1 API with ?api-version=v1.
      const path = req.url.split("?")[0];
      if (path === "/v1/responses") {
        if (body.stream === true) {
          res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
          for (const event of cached(`rs|${model}`, () => responsesEvents(model))) res.write(event);
          res.end();
        } else {
          sendWhole(
            res,
            cached(`r|${model}`, () => JSON.stringify(responseObject(model, CONTENT, 14))),
          );
        }
        return;
      }
      if (path === "/api/chat") {
        // Ollama streams unless told not to.
        if (body.stream !== false) {
          res.writeHead(200, { "content-type": "application/x-ndjson" });
          for (const line of cached(`os|${model}`, () => ollamaLines(model))) res.write(line);
          res.end();
        } else {
          sendWhole(
            res,
            cached(`o|${model}`, () => JSON.stringify(ollamaMessage(model, CONTENT, true))),
          );
        }
        return;
      }
      res.writeHead(404).end("not found");
    });
  })
  .listen(PORT, "127.0.0.1", () => console.log(`dialect mock upstream on http://127.0.0.1:${PORT}`));
