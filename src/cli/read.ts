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
      "markdown, text, or json: one object with url, kind, title, byline,\npublished, lang, markdown, text, wordCount",
  },
  language: {
    type: "string",
    placeholder: "LANG",
    description:
      "videos: captions in this language, e.g. fr or French\n(default: your locale's, then English)",
  },
  ...readerOptions,
});

export const readCommand: Command<typeof options> = {
  usage: `SOURCE [options]

SOURCE is an http(s) URL, a local file (.html, .md, .txt, .pdf, .rss, .xml) or - for stdin.
A PDF gives its text layer, a feed (RSS, Atom) a digest of its newest entries, a YouTube
video link (watch, youtu.be, shorts) its captions with title, channel and duration.

${renderOptionsHelp(options)}

Examples:
  llmux read https://example.com/article
  llmux read page.html --format text | wc -w
  llmux read report.pdf
  llmux read https://blog.example/feed.xml --limit 5
  llmux read https://youtu.be/VIDEO_ID --language French`,
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
      const { url, kind, title, byline, published, lang, markdown, text, wordCount } = page;
      writeJson(io, [{ url, kind, title, byline, published, lang, markdown, text, wordCount }]);
    } else {
      io.stdout.write(`${format === "text" ? page.text : page.markdown}\n`);
    }
    return 0;
  },
};
