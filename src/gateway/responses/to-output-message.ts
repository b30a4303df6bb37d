interface OutputMessage {
  id: string;
  type: "message";
  status: "in_progress" | "completed" | "incomplete";
  /** One output_text part: the gateway writes an answer's text as one. */
  content: [{ type: "output_text"; annotations: never[]; logprobs: never[]; text: string }];
  role: "assistant";
}

/** An assistant message output item holding one output_text part. */
export function toOutputMessage(id: string, status: OutputMessage["status"], text: string): OutputMessage {
  return {
    id,
    type: "message",
    status,
    content: [{ type: "output_text", annotations: [], logprobs: [], text }],
    role: "assistant",
  };
}
