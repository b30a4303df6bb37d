import { LlmuxError } from "../core/errors.ts";
import { formatCost } from "../core/format-cost.ts";
import { openStore } from "../store/open-store.ts";
import type { Command } from "./command.ts";
import { defineOptions, renderOptionsHelp } from "./define-options.ts";
import { formatTable } from "./format-table.ts";
import { writeJson } from "./write-json.ts";

const options = defineOptions({
  json: {
    type: "boolean",
    description: 'one JSON line: {"id","token","name","models","rpm","tpm","budgetUsd","cache"}',
  },
  name: { type: "string", placeholder: "N", description: "a label for people" },
  models: {
    type: "string",
    placeholder: "a,b",
    description: "models the key may use (references, names or aliases; provider:* for all of one)",
  },
  rpm: { type: "number", placeholder: "N", min: 1, integer: true, description: "requests per minute" },
  tpm: {
    type: "number",
    placeholder: "N",
    min: 1,
    integer: true,
    description: "tokens (input + output) per minute, checked when a request is admitted",
  },
  budget: {
    type: "number",
    placeholder: "USD",
    min: 0,
    description: "total spend allowed, from the catalog's prices",
  },
  cache: {
    type: "boolean",
    description: "answer its repeated requests from the gateway's response cache (README: Response cache)",
  },
});

export const keysCommand: Command<typeof options> = {
  usage: `create [--name N] [--models a,b] [--rpm N] [--tpm N] [--budget USD] [--cache] | list [--json] | revoke ID

  create             print a new key's token (alone on stdout; the id and how to use it on stderr);
                     only its hash is stored, so it is shown once
${renderOptionsHelp(options)}
  list               the keys, with what each has spent (--json: one JSON line per key)
  revoke ID          refuse the key from now on (running gateways, every replica, notice within a second)

Once a key exists, \`llmux serve\` asks every /v1 request for Authorization: Bearer <key>.`,
  options,
  async run({ values, positionals, io, config }) {
    const [action, ...rest] = positionals;
    const store = await openStore(config());
    try {
      if (action === "create" && rest.length === 0) {
        const models = values.models
          ?.split(",")
          .map((m) => m.trim())
          .filter(Boolean);
        const { key, token } = await store.keys.create({
          name: values.name,
          models,
          rpm: values.rpm,
          tpm: values.tpm,
          budgetUsd: values.budget,
          cache: values.cache,
        });
        if (values.json) {
          writeJson(io, [
            {
              id: key.id,
              token,
              name: key.name,
              models: key.models,
              rpm: key.rpm,
              tpm: key.tpm,
              budgetUsd: key.budgetUsd,
              cache: key.cache,
            },
          ]);
          return 0;
        }
        // The token alone on stdout, so TOKEN=$(llmux keys create) works; the rest is for people.
        io.stdout.write(`${token}\n`);
        io.stderr.write(
          `Created gateway key ${key.id}${key.name ? ` (${key.name})` : ""}. Its token is shown once: store it now.\n` +
            "Send it as Authorization: Bearer <token>; OpenAI clients take OPENAI_API_KEY=<token> and OPENAI_BASE_URL=<the URL llmux serve prints>/v1.\n",
        );
        return 0;
      }
      if (action === "list" && rest.length === 0) {
        const spent = await store.keys.spend();
        const keys = (await store.keys.list()).map(({ tokenSha256: _, ...key }) => ({
          ...key,
          spentUsd: Math.round((spent.get(key.id) ?? 0) * 1e9) / 1e9,
        }));
        if (values.json) {
          writeJson(io, keys);
        } else if (keys.length === 0) {
          io.stdout.write("No gateway keys. Create one with `llmux keys create`.\n");
        } else {
          io.stdout.write(
            formatTable(
              ["ID", "NAME", "KEY", "MODELS", "RPM", "TPM", "BUDGET", "CACHE", "SPENT", "CREATED", "STATUS"],
              keys.map((k) => [
                k.id,
                k.name ?? "",
                `${k.prefix}...`,
                k.models?.join(",") ?? "any",
                k.rpm === null ? "-" : String(k.rpm),
                k.tpm === null ? "-" : String(k.tpm),
                k.budgetUsd === null ? "-" : `$${k.budgetUsd}`,
                k.cache ? "on" : "-",
                formatCost(k.spentUsd),
                k.createdAt.toISOString().slice(0, 10),
                k.revokedAt ? `revoked ${k.revokedAt.toISOString().slice(0, 10)}` : "active",
              ]),
            ),
          );
        }
        return 0;
      }
      if (action === "revoke" && rest.length === 1) {
        await store.keys.revoke(rest[0]!);
        io.stdout.write(`Revoked ${rest[0]}\n`);
        return 0;
      }
      throw new LlmuxError("usage", "Use `llmux keys create`, `llmux keys list` or `llmux keys revoke ID`", {
        hint: "Run `llmux keys --help`",
      });
    } finally {
      await store.close();
    }
  },
};
