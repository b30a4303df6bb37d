import { LlmuxError } from "../core/errors.ts";
import { readPage } from "../reader/read-page.ts";
import type { Command } from "./command.ts";
import { readerOptions } from "./reader-options.ts";
import { writeJson } from "./write-json.ts";

const FORMATS = ["markdown", "text", "json"] as const;

export const readCommand: Command = {
  usage: `SOURCE [options]

SOURCE is an http(s) URL, a local file (.html, .md, .txt) or - for stdin.

  -f, --format FORMAT      markdown (default), text, or json: one object with url, title, byline,
                           published, lang, markdown, text, wordCount
${readerOptions.help}

Examples:
  llmux read https://example.com/article
  llmux read page.html --format text | wc -w`,
  options: {
    format: { type: "string", short: "f" },
    ...readerOptions.spec,
  },
  async run({ values, positionals, io }) {
    const format = (values.format as string | undefined) ?? "markdown";
    if (!FORMATS.includes(format as (typeof FORMATS)[number])) {
      throw new LlmuxError("usage", `--format must be markdown, text or json, got "${format}"`, {
        hint: "Run `llmux read --help`",
      });
    }
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
    const page = await readPage(source, { ...readerOptions.parse(values), stdin: io.stdin });
    if (format === "json") {
      const { url, title, byline, published, lang, markdown, text, wordCount } = page;
      writeJson(io, [{ url, title, byline, published, lang, markdown, text, wordCount }]);
    } else {
      io.stdout.write(`${format === "text" ? page.text : page.markdown}\n`);
    }
    return 0;
  },
};
