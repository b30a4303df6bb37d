import { z } from "zod";
import { BUILT_IN_PROVIDERS } from "../providers/provider-registry.ts";

const PROVIDERS = [
  "openai",
  "anthropic",
  "google",
  "cohere",
  "perplexity",
  "mistral",
  "deepseek",
  "groq",
  "xai",
  "openrouter",
  "together",
  "azure",
  "bedrock",
  "vertex",
  "ollama",
  "local",
] as const;

// USD per million tokens. An unknown price is `pricing: null` on the entry, never 0.
const pricingSchema = z.strictObject({
  inputPerMTok: z.number().nonnegative(),
  outputPerMTok: z.number().nonnegative(),
  cachedInputPerMTok: z.number().nonnegative().optional(),
});

const entrySchema = z
  .strictObject({
    provider: z.enum(PROVIDERS),
    model: z.string().min(1),
    family: z.string().min(1),
    name: z.string().min(1),
    weights: z.enum(["open", "closed"]),
    contextWindow: z.int().positive(),
    maxOutputTokens: z.int().positive().optional(),
    pricing: pricingSchema.nullable(),
    /**
     * The date the price source shows (YYYY-MM-DD or YYYY-MM), or, where it shows none, the day
     * the price was read from it. Every price has one; null only where there is no price.
     */
    pricesAsOf: z
      .string()
      .regex(/^\d{4}-\d{2}(-\d{2})?$/)
      .nullable(),
    /** Where the price and limits come from: a URL, or "runs locally" for on-device models. */
    source: z.union([z.url(), z.literal("runs locally")]),
    aliases: z.array(z.string().min(1)),
    embedding: z.boolean(),
    /** The Hugging Face file the embedded engine downloads (local entries only). */
    gguf: z
      .strictObject({
        repo: z.string().regex(/^[\w.-]+\/[\w.-]+$/),
        file: z.string().endsWith(".gguf"),
        sizeBytes: z.int().positive().optional(),
      })
      .optional(),
  })
  .refine((e) => (e.provider === "local") === (e.gguf !== undefined), {
    message: "local entries need a gguf source, and only they have one",
  })
  .refine((e) => e.source === "runs locally" || (e.pricing === null) === (e.pricesAsOf === null), {
    message: "a price needs the date it was taken (pricesAsOf), and a date needs a price",
  })
  .refine((e) => (e.source === "runs locally") === providerRunsLocally(e.provider), {
    message: 'only entries of providers that run locally say "runs locally"; every other entry cites a URL',
  });

/**
 * The shape of catalog.json. The tests validate the file against it (catalog.test.ts); at run time
 * the file is read as it is, so importing llmux does not load zod.
 */
export const catalogSchema = z.strictObject({
  schemaVersion: z.literal(1),
  models: z.array(entrySchema).superRefine((models, ctx) => {
    const seen = new Set<string>();
    for (const { provider, model } of models) {
      const key = `${provider}:${model}`;
      if (seen.has(key)) ctx.addIssue({ code: "custom", message: `duplicate catalog entry ${key}` });
      seen.add(key);
    }
  }),
});

function providerRunsLocally(id: string): boolean {
  return BUILT_IN_PROVIDERS.find((definition) => definition.id === id)?.runsLocally === true;
}

export type CatalogEntry = z.infer<typeof entrySchema>;
