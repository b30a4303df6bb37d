import { existsSync } from "node:fs";
import { LlmuxError } from "../core/errors.ts";
import { copyStore } from "../store/copy-store.ts";
import { createSqliteClient } from "../store/create-sqlite-client.ts";
import { openDatabase } from "../store/open-database.ts";
import { openStore } from "../store/open-store.ts";
import type { Command } from "./command.ts";
import { defineOptions, renderOptionsHelp } from "./define-options.ts";

const options = defineOptions({
  to: {
    type: "string",
    placeholder: "URL",
    description: "copy: the PostgreSQL database to fill (postgres://USER:PASSWORD@HOST:5432/DB), empty",
  },
});

export const dbCommand: Command<typeof options> = {
  usage: `migrate | copy --to postgres://...

  migrate   bring the configured store (LLMUX_DATABASE_URL or database.url, else the SQLite
            file) to this llmux's schema, and print its version; gateways do it when they
            start, one replica at a time
  copy      copy gateway keys, the usage log, conversations and stored Responses from the
            SQLite file into an empty PostgreSQL database, all or nothing (the summary cache
            stays in the file: it is local to each machine)

${renderOptionsHelp(options)}`,
  options,
  async run({ values, positionals, io, config }) {
    const [action, ...rest] = positionals;
    if (action === "migrate" && rest.length === 0) {
      const store = await openStore(config());
      try {
        io.stdout.write(
          `${store.location} (${store.backend}): schema version ${await store.schemaVersion()}\n`,
        );
      } finally {
        await store.close();
      }
      return 0;
    }
    if (action === "copy" && rest.length === 0) {
      if (!values.to) {
        throw new LlmuxError("usage", "llmux db copy needs --to postgres://...", {
          hint: "Run `llmux db --help`",
        });
      }
      const { paths } = config();
      if (!existsSync(paths.database)) {
        throw new LlmuxError("config", `There is no SQLite store at ${paths.database} to copy`, {
          hint: "Set LLMUX_HOME to the folder that holds llmux.db",
        });
      }
      const source = createSqliteClient(openDatabase(paths.database));
      try {
        const target = await openStore(config(), { url: values.to });
        try {
          const copied = await copyStore(source, target.sql, target.location);
          const counts = [...copied].map(([label, n]) => `${n} ${label}`).join(", ");
          io.stdout.write(`Copied ${counts} from ${paths.database} to ${target.location}\n`);
        } finally {
          await target.close();
        }
      } finally {
        await source.close();
      }
      return 0;
    }
    throw new LlmuxError("usage", "Use `llmux db migrate` or `llmux db copy --to postgres://...`", {
      hint: "Run `llmux db --help`",
    });
  },
};
