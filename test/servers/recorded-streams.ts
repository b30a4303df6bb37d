import { readFixture } from "./read-fixture.ts";

type OpenAIEvent = {
  choices: { delta?: { content?: string } }[];
  usage?: { prompt_tokens: number; completion_tokens: number } | null;
};
type AnthropicEvent = { type: string; delta?: { text?: string } };

/** What a recorded OpenAI-style stream says: its text, delta by delta, and its usage event. */
export function recordedOpenAIStream(name: string): {
  text: string;
  usage: { prompt_tokens: number; completion_tokens: number };
} {
  const events = readFixture(name).events as OpenAIEvent[];
  return {
    text: events.map((e) => e.choices[0]?.delta?.content ?? "").join(""),
    usage: events.find((e) => e.usage)!.usage!,
  };
}

/** The text of a recorded Anthropic messages stream. */
export function recordedAnthropicStreamText(name: string): string {
  return (readFixture(name).events as AnthropicEvent[])
    .map((e) => (e.type === "content_block_delta" ? (e.delta?.text ?? "") : ""))
    .join("");
}
