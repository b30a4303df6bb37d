/** A tool call's input (JSON text from the provider layer) as the object a tool_use block carries. */
export function parseToolInput(text: string): unknown {
  try {
    const input: unknown = text.trim() === "" ? {} : JSON.parse(text);
    return input !== null && typeof input === "object" && !Array.isArray(input) ? input : {};
  } catch {
    // Broken JSON from the model: Anthropic's clients expect an object, so an empty one.
    return {};
  }
}
