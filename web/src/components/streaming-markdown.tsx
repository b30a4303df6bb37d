import { useLayoutEffect, useRef } from "preact/hooks";
import type { TextStream } from "../state/create-text-stream.ts";
import { useStreamText } from "../state/use-stream-text.ts";
import { MarkdownView } from "./markdown-view.tsx";

/**
 * A reply as it streams: only this component re-renders on each frame's new text. Inside a
 * `[data-follow]` scroller it keeps the newest text in view, unless the reader scrolled up.
 */
export function StreamingMarkdown({ stream }: { stream: TextStream }) {
  const text = useStreamText(stream);
  const ref = useRef<HTMLDivElement>(null);
  const wasAtBottom = useRef(true);
  const scroller = ref.current?.closest<HTMLElement>("[data-follow]");
  if (scroller) wasAtBottom.current = scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 48;
  useLayoutEffect(() => {
    const element = ref.current?.closest<HTMLElement>("[data-follow]");
    if (element && wasAtBottom.current) element.scrollTop = element.scrollHeight;
  });
  return (
    <div ref={ref} class="streaming-text">
      {text ? <MarkdownView text={text} /> : <p class="waiting">Waiting for the first token…</p>}
    </div>
  );
}
