import { existsSync } from "node:fs";
import { LlmuxError } from "../core/errors.ts";
import { formatBytes } from "../core/format-bytes.ts";
import { plural } from "../core/plural.ts";
import { createSummaryCache } from "../store/create-summary-cache.ts";
import { openDatabase } from "../store/open-database.ts";
import type { Command } from "./command.ts";
import { defineOptions, renderOptionsHelp } from "./define-options.ts";
import { writeJson } from "./write-json.ts";

const options = defineOptions({
  json: { type: "boolean", description: 'one JSON line: {"entries","bytes","maxBytes","database"}' },
});

export const cacheCommand: Command<typeof options> = {
  usage: `[clear] [options]

  (none)    how many entries the summary cache holds (summaries, and --site's choices of
            pages), and its size against its bound
  clear     remove every entry

${renderOptionsHelp(options)}

\`llmux summarize\` and the web app's Summarize keep finished summaries in the llmux database,
keyed on the extracted content, the prompt, the model, the length and the language. The least
recently used go first past summaryCache.maxBytes in the config (default 50 MB).`,
  options,
  async run({ values, positionals, io, config }) {
    const [action, ...rest] = positionals;
    if (rest.length > 0 || (action !== undefined && action !== "clear")) {
      throw new LlmuxError("usage", "Use `llmux cache` or `llmux cache clear`", {
        hint: "Run `llmux cache --help`",
      });
    }
    const { paths, file } = config();
    const maxBytes = file.summaryCache.maxBytes;
    // Looking at an empty cache creates no database.
    const cache = existsSync(paths.database)
      ? createSummaryCache(openDatabase(paths.database), { maxBytes })
      : undefined;
    if (action === "clear") {
      const removed = cache?.clear() ?? 0;
      io.stdout.write(`Removed ${removed} cache ${plural(removed, "entry", "entries")}.\n`);
      return 0;
    }
    const stats = cache?.stats() ?? { entries: 0, bytes: 0, maxBytes };
    if (values.json) {
      writeJson(io, [{ ...stats, database: paths.database }]);
      return 0;
    }
    io.stdout.write(
      `Summary cache: ${stats.entries} ${plural(stats.entries, "entry", "entries")}, ${formatBytes(stats.bytes)} of ${formatBytes(stats.maxBytes)}, in ${paths.database}\n`,
    );
    return 0;
  },
};
