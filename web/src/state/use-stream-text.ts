import { useEffect, useState } from "preact/hooks";
import type { TextStream } from "./create-text-stream.ts";

/**
 * The stream's text, re-rendering the calling component (and only it) at most once per frame:
 * a fast model sends hundreds of deltas a second, the screen shows sixty.
 */
export function useStreamText(stream: TextStream): string {
  const [, setVersion] = useState(0);
  useEffect(() => {
    let frame = 0;
    const unsubscribe = stream.subscribe(() => {
      frame ||= requestAnimationFrame(() => {
        frame = 0;
        setVersion((v) => v + 1);
      });
    });
    return () => {
      unsubscribe();
      cancelAnimationFrame(frame);
    };
  }, [stream]);
  return stream.text;
}
