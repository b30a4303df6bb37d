import { startGateway } from "../gateway/start-gateway.ts";
import type { Command } from "./command.ts";
import { defineOptions, renderOptionsHelp } from "./define-options.ts";

const options = defineOptions({
  host: {
    type: "string",
    placeholder: "HOST",
    default: "127.0.0.1",
    description: "interface to listen on; any other needs `llmux keys create` first",
  },
  port: {
    type: "number",
    placeholder: "N",
    default: 4000,
    min: 0,
    max: 65535,
    integer: true,
    description: "port; 0 picks a free one",
  },
  "ollama-port": {
    type: "number",
    placeholder: "N",
    min: 0,
    max: 65535,
    integer: true,
    description: "also serve Ollama's API alone on this port (11434 for tools that expect Ollama there)",
  },
  "allow-private": {
    type: "boolean",
    description: "let the web UI's Summarize read pages on loopback and private addresses",
  },
});

export const serveCommand: Command<typeof options> = {
  usage: `[options]

${renderOptionsHelp(options)}

The chat web UI is at the bound URL itself, and Ollama's API at <url>/api (Ollama clients take
<url> as their host); --ollama-port 11434 serves it where Ollama's own clients look by default.

The bound URL is printed on stdout; point any OpenAI client at <url>/v1 and use llmux model
references (openai:gpt-4.1-mini, anthropic:claude-haiku-4-5, local:llama3.2:1b) as model names.
Fallbacks, timeouts and limits come from the "gateway" section of the config file. SIGTERM or
Ctrl-C stops accepting requests and lets streams in flight finish.

Replicas behind a load balancer share LLMUX_DATABASE_URL (keys, usage) and LLMUX_REDIS_URL
(requests per minute and budgets, exact across replicas; LLMUX_REDIS_FAIL_OPEN=1 counts them per
replica while Redis is away, instead of answering 503).`,
  options,
  async run({ values, io, config }) {
    const gateway = await startGateway(config(), {
      host: values.host,
      port: values.port,
      allowPrivateAddresses: values["allow-private"],
      ollamaPort: values["ollama-port"],
    });
    io.stdout.write(`${gateway.url}\n`);
    if (io.stderr.isTTY) {
      io.stderr.write(`llmux gateway: OpenAI base URL ${gateway.url}/v1 (Ctrl-C to stop)\n`);
      if (gateway.ollamaUrl) io.stderr.write(`llmux gateway: Ollama's API at ${gateway.ollamaUrl}\n`);
    }
    await new Promise<void>((resolve) => {
      const stop = () => {
        process.off("SIGTERM", stop);
        process.off("SIGINT", stop);
        resolve();
      };
      process.on("SIGTERM", stop);
      process.on("SIGINT", stop);
    });
    await gateway.close();
    return 0;
  },
};
