import { startGateway } from "../gateway/start-gateway.ts";
import type { Command } from "./command.ts";
import { parseNumberOption } from "./parse-number-option.ts";

export const serveCommand: Command = {
  usage: `[options]

      --host HOST   interface to listen on (default 127.0.0.1; anything else needs \`llmux keys create\` first)
      --port N      port (default 4000; 0 picks a free one)
      --allow-private   let the web UI's Summarize read pages on loopback and private addresses

The chat web UI is at the bound URL itself.

The bound URL is printed on stdout; point any OpenAI client at <url>/v1 and use llmux model
references (openai:gpt-4.1-mini, anthropic:claude-haiku-4-5, local:llama3.2:1b) as model names.
Fallbacks, timeouts and limits come from the "gateway" section of the config file. SIGTERM or
Ctrl-C stops accepting requests and lets streams in flight finish.`,
  options: {
    host: { type: "string" },
    port: { type: "string" },
    "allow-private": { type: "boolean" },
  },
  async run({ values, io, config }) {
    const gateway = await startGateway(config(), {
      host: (values.host as string | undefined) ?? "127.0.0.1",
      port: parseNumberOption("port", values.port, { min: 0, max: 65535, integer: true }) ?? 4000,
      allowPrivateAddresses: values["allow-private"] === true,
    });
    io.stdout.write(`${gateway.url}\n`);
    if (io.stderr.isTTY)
      io.stderr.write(`llmux gateway: OpenAI base URL ${gateway.url}/v1 (Ctrl-C to stop)\n`);
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
