import type { ReadPageOptions } from "../reader/read-page.ts";
import type { CommandContext, OptionSpec } from "./command.ts";
import { parseNumberOption } from "./parse-number-option.ts";

/** The options of every command that reads pages (`read`, `summarize`): spec, help and parsing. */
export const readerOptions = {
  spec: {
    "allow-private": { type: "boolean" },
    render: { type: "boolean" },
    timeout: { type: "string" },
    "max-bytes": { type: "string" },
  } satisfies OptionSpec,
  help: `      --allow-private      also fetch loopback and private addresses (intranet pages)
      --render             run the page's JavaScript in headless Chromium first (http(s) URLs)
      --timeout SECONDS    give up fetching a page after this long (default 30)
      --max-bytes N        largest page to read (default 10 MB)`,
  parse(values: CommandContext["values"]): ReadPageOptions {
    const seconds = parseNumberOption("timeout", values.timeout, { min: 0.001 });
    return {
      allowPrivate: values["allow-private"] === true,
      render: values.render === true,
      timeoutMs: seconds === undefined ? undefined : Math.round(seconds * 1000),
      maxBytes: parseNumberOption("max-bytes", values["max-bytes"], { min: 1, integer: true }),
    };
  },
};
