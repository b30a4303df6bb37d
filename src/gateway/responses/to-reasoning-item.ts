interface ReasoningItem {
  id: string;
  type: "reasoning";
  status: "in_progress" | "completed" | "incomplete";
  summary: never[];
  /** The model's reasoning as it wrote it (OpenAI's raw `reasoning_text`), in one part. */
  content: [{ type: "reasoning_text"; text: string }];
}

/** A reasoning output item: what a model that thinks aloud wrote before its answer. */
export function toReasoningItem(id: string, status: ReasoningItem["status"], text: string): ReasoningItem {
  return { id, type: "reasoning", status, summary: [], content: [{ type: "reasoning_text", text }] };
}
