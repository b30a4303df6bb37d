import { createInterface } from "node:readline";
import type { ModelMessage } from "ai";
import { isLlmuxError } from "../core/errors.ts";
import { redactSecrets } from "../core/redact-secrets.ts";
import type { Command } from "./command.ts";
import { createCliLlmux } from "./create-cli-llmux.ts";
import { createMarkdownRenderer } from "./create-markdown-renderer.ts";
import { describeCall } from "./describe-call.ts";
import { ensureLocalModel } from "./ensure-local-model.ts";
import { formatCost } from "./format-cost.ts";
import { parseNumberOption } from "./parse-number-option.ts";

const CHAT_HELP = `Commands: /model REF  /system TEXT  /clear  /cost  /help  /exit
Ctrl-C stops the current reply; Ctrl-D or /exit leaves.`;

export const chatCommand: Command = {
  usage: `[options]

  -m, --model REF        model reference (default: LLMUX_MODEL, config, local:llama3.2:1b)
  -s, --system TEXT      system prompt
  -t, --temperature N    sampling temperature

${CHAT_HELP}`,
  options: {
    model: { type: "string", short: "m" },
    system: { type: "string", short: "s" },
    temperature: { type: "string", short: "t" },
  },
  async run({ values, io, config }) {
    await ensureLocalModel(values.model as string | undefined, config(), io);
    const llmux = createCliLlmux(config(), io);
    let model = llmux.registry.resolve(
      llmux.registry.defaultModel(values.model as string | undefined),
    ).reference;
    let system = values.system as string | undefined;
    const temperature = parseNumberOption("temperature", values.temperature, { min: 0, max: 2 });
    let history: ModelMessage[] = [];
    const totals = { calls: 0, inputTokens: 0, outputTokens: 0, costUsd: 0, costUnknown: false };
    let reply: AbortController | undefined;

    const interactive = Boolean(io.stdin.isTTY);
    const rl = createInterface({ input: io.stdin, output: io.stdout, terminal: interactive, prompt: "› " });
    const say = (line: string) => io.stdout.write(`${line}\n`);
    const stopReply = () => {
      if (reply) reply.abort();
      else if (interactive) {
        say("\n(Ctrl-D or /exit to leave)");
        if (interactive) rl.prompt();
      } else rl.close();
    };
    rl.on("SIGINT", stopReply);
    process.on("SIGINT", stopReply);

    if (interactive) say(`Chatting with ${model}. ${CHAT_HELP}`);
    if (interactive) rl.prompt();
    for await (const raw of rl) {
      const line = raw.trim();
      if (line.startsWith("/")) {
        const [name, ...rest] = line.split(/\s+/);
        const argument = rest.join(" ");
        if (name === "/exit" || name === "/quit") break;
        if (name === "/help") say(CHAT_HELP);
        else if (name === "/clear") {
          history = [];
          say("(history cleared)");
        } else if (name === "/system") {
          system = argument || undefined;
          say(system ? "(system prompt set)" : "(system prompt removed)");
        } else if (name === "/cost") {
          const cost = totals.costUnknown
            ? `${formatCost(totals.costUsd)} + unknown`
            : formatCost(totals.costUsd);
          say(
            `${totals.calls} replies · ${totals.inputTokens} in / ${totals.outputTokens} out tokens · ${cost}`,
          );
        } else if (name === "/model") {
          try {
            if (!argument) say(`(model: ${model})`);
            else {
              model = llmux.registry.resolve(argument).reference;
              say(`(model: ${model})`);
            }
          } catch (error) {
            say(`llmux: ${isLlmuxError(error) ? error.userMessage : String(error)}`);
          }
        } else say(`Unknown command ${name}. ${CHAT_HELP}`);
        if (interactive) rl.prompt();
        continue;
      }
      if (!line) {
        if (interactive) rl.prompt();
        continue;
      }
      history.push({ role: "user", content: line });
      reply = new AbortController();
      const renderer = createMarkdownRenderer(io.color);
      const { textStream, result } = llmux.stream({
        model,
        system,
        temperature,
        messages: history,
        signal: reply.signal,
      });
      let text = "";
      try {
        for await (const delta of textStream) {
          text += delta;
          io.stdout.write(renderer.write(delta));
        }
        io.stdout.write(renderer.end());
        if (!text.endsWith("\n")) io.stdout.write("\n");
        const done = await result;
        totals.calls++;
        totals.inputTokens += done.usage.inputTokens ?? 0;
        totals.outputTokens += done.usage.outputTokens ?? 0;
        if (done.costUsd === null) totals.costUnknown = true;
        else totals.costUsd += done.costUsd;
        if (interactive) say(describeCall(done, io.color));
        history.push({ role: "assistant", content: text });
      } catch (error) {
        io.stdout.write(renderer.end());
        if (isLlmuxError(error) && error.kind === "aborted") {
          say(`${text.endsWith("\n") ? "" : "\n"}(stopped)`);
          // Keep what was said, so the conversation reads as the user saw it.
          if (text) history.push({ role: "assistant", content: text });
        } else {
          history.pop();
          say(`llmux: ${isLlmuxError(error) ? redactSecrets(error.userMessage) : String(error)}`);
        }
      } finally {
        reply = undefined;
      }
      if (interactive) rl.prompt();
    }
    process.off("SIGINT", stopReply);
    rl.close();
    return 0;
  },
};
