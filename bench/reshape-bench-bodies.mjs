// The shared harness's driver (harness/bench.mjs) writes OpenAI chat-completions bodies. For a
// target on another dialect's route, gateway.bench.mjs makes the copied driver call this on its
// body files: the same conversation, token cap, temperature and stream flag, in that dialect.
import { readFileSync, writeFileSync } from "node:fs";

const SHAPES = {
  "/v1/messages": ({ messages, max_tokens, temperature, ...rest }) => ({
    ...rest,
    system: messages.find((m) => m.role === "system")?.content,
    messages: messages.filter((m) => m.role !== "system"),
    max_tokens,
    temperature,
  }),
  "/v1/responses": ({ messages, max_tokens, temperature, ...rest }) => ({
    ...rest,
    instructions: messages.find((m) => m.role === "system")?.content,
    input: messages.filter((m) => m.role !== "system"),
    max_output_tokens: max_tokens,
    temperature,
  }),
  // Ollama streams unless told not to.
  "/api/chat": ({ max_tokens, temperature, stream, ...rest }) => ({
    ...rest,
    stream: stream === true,
    options: { num_predict: max_tokens, temperature },
  }),
};

export function reshapeBodies(files, path) {
  const shape = SHAPES[path];
  if (!shape) return;
  for (const file of Object.values(files)) {
    writeFileSync(file, JSON.stringify(shape(JSON.parse(readFileSync(file, "utf8")))));
  }
}
