// The options of every command that calls a model, declared once; a command may say more in its
// own description (`{ ...modelOption, description: "..." }`).

export const modelOption = {
  type: "string",
  short: "m",
  placeholder: "REF",
  description:
    "model reference, e.g. openai:gpt-4.1-mini, ollama:llama3.2:1b (default: LLMUX_MODEL, config, local:llama3.2:1b)",
} as const;

export const systemOption = {
  type: "string",
  short: "s",
  placeholder: "TEXT",
  description: "system prompt",
} as const;

export const temperatureOption = {
  type: "number",
  short: "t",
  placeholder: "N",
  min: 0,
  max: 2,
  description: "sampling temperature",
} as const;

export const maxTokensOption = {
  type: "number",
  placeholder: "N",
  min: 1,
  integer: true,
  description: "most tokens in the answer",
} as const;
