import { LlmuxError } from "../core/errors.ts";
import { readPage } from "../reader/read-page.ts";
import type { Command } from "./command.ts";
import { defineOptions, renderOptionsHelp } from "./define-options.ts";
import { readerOptions, toReadPageOptions } from "./reader-options.ts";
import { writeJson } from "./write-json.ts";

const options = defineOptions({
  format: {
    type: "string",
    short: "f",
    placeholder: "FORMAT",
    choices: ["markdown", "text", "json"],
    default: "markdown",
    description:
      "markdown, text, or json: one object with url, title, byline,\npublished, lang, markdown, text, wordCount",
  },
  ...readerOptions,
});

export const readCommand: Command<typeof options> = {
  usage: `SOURCE [options]

SOURCE is an http(s) URL, a local file (.html, .md, .txt) or - for stdin.

${renderOptionsHelp(options)}

Examples:
  llmux read https://example.com/article
  llmux read page.html --format text | wc -w`,
  options,
  async run({ values, positionals, io }) {
    const { format } = values;
    const [source, ...extra] = positionals;
    if (source === undefined || extra.length > 0) {
      throw new LlmuxError(
        "usage",
        source === undefined ? "Nothing to read" : "llmux read takes one source",
        {
          hint: "Give one URL, file or - (stdin): llmux read https://example.com/article",
        },
      );
    }
    const page = await readPage(source, { ...toReadPageOptions(values), stdin: io.stdin });
    if (format === "json") {
      const { url, title, byline, published, lang, markdown, text, wordCount } = page;
      writeJson(io, [{ url, title, byline, published, lang, markdown, text, wordCount }]);
    } else {
      io.stdout.write(`${format === "text" ? page.text : page.markdown}\n`);
    }
    return 0;
  },
};
