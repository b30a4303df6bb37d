/** The default model when neither --model, LLMUX_MODEL nor the config names one: no key, no server. */
export const DEFAULT_MODEL = "local:llama3.2:1b";
