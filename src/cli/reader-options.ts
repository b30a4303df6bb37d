import type { ReadPageOptions } from "../reader/read-page.ts";
import { defineOptions, type OptionValues } from "./define-options.ts";

/** The options of every command that reads pages (`read`, `summarize`). */
export const readerOptions = defineOptions({
  "allow-private": {
    type: "boolean",
    description: "also fetch loopback and private addresses (intranet pages)",
  },
  render: {
    type: "boolean",
    description: "run the page's JavaScript in headless Chromium first (http(s) URLs)",
  },
  timeout: {
    type: "number",
    placeholder: "SECONDS",
    min: 0.001,
    description: "give up fetching a page after this long (default 30)",
  },
  "max-bytes": {
    type: "number",
    placeholder: "N",
    min: 1,
    integer: true,
    description: "largest page to read (default 10 MB)",
  },
  limit: {
    type: "number",
    placeholder: "N",
    min: 1,
    integer: true,
    description: "feeds (RSS, Atom): read the newest N entries (default 10)",
  },
});

/**
 * The reader's options from a command's values. A command's own `--language` (summarize: the
 * summary's language; read: the captions') also picks a video's caption track.
 */
export function toReadPageOptions(
  values: OptionValues<typeof readerOptions> & { language?: string | undefined },
): ReadPageOptions {
  return {
    allowPrivate: values["allow-private"],
    render: values.render,
    timeoutMs: values.timeout === undefined ? undefined : Math.round(values.timeout * 1000),
    maxBytes: values["max-bytes"],
    limit: values.limit,
    language: values.language,
  };
}
