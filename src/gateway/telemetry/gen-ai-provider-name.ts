// llmux provider ids whose GenAI semantic-conventions name (gen_ai.provider.name) differs.
const NAMES: Record<string, string> = {
  azure: "azure.ai.openai",
  bedrock: "aws.bedrock",
  google: "gcp.gemini",
  vertex: "gcp.vertex_ai",
  mistral: "mistral_ai",
  xai: "x_ai",
};

/** gen_ai.provider.name for an llmux provider id: the well-known value, else the id itself (ollama, endpoints). */
export function genAiProviderName(provider: string): string {
  return Object.hasOwn(NAMES, provider) ? NAMES[provider]! : provider;
}
