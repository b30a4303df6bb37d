import { createInterface } from "node:readline";
import type { ModelMessage } from "ai";
import type { CallResult } from "../client/call-options.ts";
import { isLlmuxError } from "../core/errors.ts";
import { formatCost } from "../core/format-cost.ts";
import { plural } from "../core/plural.ts";
import { redactSecrets } from "../core/redact-secrets.ts";
import type { Command } from "./command.ts";
import { createCliLlmux } from "./create-cli-llmux.ts";
import { createMarkdownRenderer } from "./create-markdown-renderer.ts";
import { defineOptions, renderOptionsHelp } from "./define-options.ts";
import { describeCall } from "./describe-call.ts";
import { describeError } from "./describe-error.ts";
import { ensureLocalModel } from "./ensure-local-model.ts";
import { modelOption, systemOption, temperatureOption } from "./model-call-options.ts";

const CHAT_HELP = `Commands: /model REF  /system TEXT  /clear  /cost  /help  /exit
Ctrl-C stops the current reply; Ctrl-D or /exit leaves.`;

/** What /cost adds up. A stopped reply counts, but its usage is never reported (see describeTotals). */
interface Totals {
  replies: number;
  stopped: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  /** Finished replies whose provider reported no token counts. */
  unreported: number;
  /** Models whose replies had tokens but no price in the catalog. */
  unpriced: Set<string>;
}

const options = defineOptions({
  model: modelOption,
  system: systemOption,
  temperature: temperatureOption,
});

export const chatCommand: Command<typeof options> = {
  usage: `[options]

${renderOptionsHelp(options)}

${CHAT_HELP}`,
  options,
  async run({ values, io, config }) {
    await ensureLocalModel(values.model, config(), io);
    const llmux = createCliLlmux(config(), io);
    let model = llmux.registry.resolve(llmux.registry.defaultModel(values.model)).reference;
    let system = values.system;
    const temperature = values.temperature;
    let history: ModelMessage[] = [];
    const totals: Totals = {
      replies: 0,
      stopped: 0,
      inputTokens: 0,
      outputTokens: 0,
      costUsd: 0,
      unreported: 0,
      unpriced: new Set(),
    };
    // Set exactly while a reply streams: Ctrl-C aborts it then, and only then.
    let reply: AbortController | undefined;

    const interactive = Boolean(io.stdin.isTTY);
    const rl = createInterface({ input: io.stdin, output: io.stdout, terminal: interactive, prompt: "› " });
    const say = (line: string) => io.stdout.write(`${line}\n`);
    const prompt = () => {
      if (interactive) rl.prompt();
    };
    // Every failure is one line on stderr, and the chat goes on.
    const report = (error: unknown) => {
      io.stderr.write(`llmux: ${describeChatError(error)}\n`);
      if (values.debug && error instanceof Error) io.stderr.write(`${redactSecrets(String(error.stack))}\n`);
    };
    // Ctrl-C: stops the reply; at the prompt drops a half-typed line, or says how to leave.
    // Piped (a SIGINT from outside, no reply running) it leaves.
    const interrupt = () => {
      if (reply) reply.abort();
      else if (!interactive) rl.close();
      else if (rl.line) {
        rl.write("", { ctrl: true, name: "e" });
        rl.write("", { ctrl: true, name: "u" });
      } else {
        io.stdout.write("\n");
        say("Press Ctrl-D or type /exit to leave.");
        prompt();
      }
    };
    rl.on("SIGINT", interrupt);
    // Ctrl-D during a reply leaves at once; piped stdin ends long before the replies do.
    if (interactive) rl.on("close", () => reply?.abort());
    process.on("SIGINT", interrupt);

    const count = (done: CallResult) => {
      totals.replies++;
      const { inputTokens, outputTokens } = done.usage;
      if (inputTokens === null && outputTokens === null) totals.unreported++;
      totals.inputTokens += inputTokens ?? 0;
      totals.outputTokens += outputTokens ?? 0;
      if (done.costUsd !== null) totals.costUsd += done.costUsd;
      else if (inputTokens !== null || outputTokens !== null) totals.unpriced.add(done.model);
    };

    const send = async (line: string) => {
      history.push({ role: "user", content: line });
      const controller = new AbortController();
      reply = controller;
      const renderer = createMarkdownRenderer(io.color);
      let text = "";
      let flushed = false;
      const flush = () => {
        if (flushed) return;
        flushed = true;
        const rest = renderer.end();
        io.stdout.write(rest);
        if (text && !text.endsWith("\n")) io.stdout.write("\n");
      };
      try {
        // Inside the try: a missing key or an unknown model throws before anything streams.
        const { textStream, result } = llmux.stream({
          model,
          system,
          temperature,
          messages: history,
          signal: controller.signal,
        });
        for await (const delta of textStream) {
          text += delta;
          io.stdout.write(renderer.write(delta));
        }
        flush();
        const done = await result;
        count(done);
        if (interactive) say(describeCall(done, io.color));
        history.push({ role: "assistant", content: text });
      } catch (error) {
        flush();
        if (controller.signal.aborted && isLlmuxError(error) && error.kind === "aborted") {
          totals.replies++;
          totals.stopped++;
          say("Stopped.");
          // Keep what was said, so the conversation reads as the user saw it.
          if (text) history.push({ role: "assistant", content: text });
          else history.pop();
        } else {
          history.pop();
          report(error);
        }
      } finally {
        reply = undefined;
      }
    };

    // Returns false for /exit.
    const command = (line: string): boolean => {
      const [name, ...rest] = line.split(/\s+/);
      const argument = rest.join(" ");
      if (name === "/exit" || name === "/quit") return false;
      if (name === "/help") say(CHAT_HELP);
      else if (name === "/clear") {
        history = [];
        say("History cleared.");
      } else if (name === "/system") {
        system = argument || undefined;
        say(system ? "System prompt set." : "System prompt removed.");
      } else if (name === "/cost") {
        say(describeTotals(totals));
      } else if (name === "/model") {
        if (argument) model = llmux.registry.resolve(argument).reference;
        say(`Model: ${model}`);
      } else say(`Unknown command ${name}. ${CHAT_HELP}`);
      return true;
    };

    try {
      if (interactive) say(`Chatting with ${model}. ${CHAT_HELP}`);
      prompt();
      for await (const raw of rl) {
        const line = raw.trim();
        try {
          if (line.startsWith("/")) {
            if (!command(line)) break;
          } else if (line) {
            await send(line);
          }
        } catch (error) {
          report(error);
        }
        prompt();
      }
    } finally {
      process.off("SIGINT", interrupt);
      rl.close();
    }
    return 0;
  },
};

/** The error line, and in the chat a way out: switching to a model that works. */
function describeChatError(error: unknown): string {
  const line = describeError(error);
  const switchable = isLlmuxError(error) && (error.kind === "missing_key" || error.kind === "auth");
  return switchable ? `${line}. Or type /model REF to use another model` : line;
}

/** The /cost line: replies, tokens and dollars so far, and what is not known rather than $0. */
function describeTotals(totals: Totals): string {
  const { replies, stopped, inputTokens, outputTokens, unreported, unpriced } = totals;
  const repliesText = `${replies} ${plural(replies, "reply", "replies")}${stopped > 0 ? ` (${stopped} stopped)` : ""}`;
  const tokens = `${inputTokens} in / ${outputTokens} out ${plural(outputTokens, "token")}`;
  const unknown: string[] = [];
  if (stopped > 0) {
    unknown.push(
      `${stopped === 1 ? "the stopped reply's" : "the stopped replies'"} tokens and cost (llmux learns usage only when a reply ends)`,
    );
  }
  if (unreported > 0) {
    unknown.push(
      `the tokens and cost of ${unreported} ${plural(unreported, "reply", "replies")} without usage`,
    );
  }
  if (unpriced.size > 0) unknown.push(`the price of ${[...unpriced].join(", ")}`);
  const cost = formatCost(totals.costUsd);
  return `${repliesText} · ${tokens} · ${unknown.length > 0 ? `${cost} + unknown: ${unknown.join("; ")}` : cost}`;
}
