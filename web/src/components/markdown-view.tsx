import { useEffect, useMemo, useRef } from "preact/hooks";
import { renderMarkdown } from "../markdown/render-markdown.ts";
import { copyText } from "./copy-text.ts";

/** The Copy button of a code block (real buttons, so Enter and Space reach here as clicks too). */
function onCopyClick(event: MouseEvent) {
  const button = (event.target as Element).closest("button.copy-code");
  const code = button?.closest(".code-block")?.querySelector("code");
  if (!button || !code) return;
  void copyText(code.textContent ?? "").then((ok) => {
    button.textContent = ok ? "Copied" : "Copy failed";
    setTimeout(() => {
      button.textContent = "Copy";
    }, 1500);
  });
}

/** Sanitized Markdown; the Copy buttons of its code blocks work through one delegated listener. */
export function MarkdownView({ text }: { text: string }) {
  const html = useMemo(() => renderMarkdown(text), [text]);
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = ref.current;
    element?.addEventListener("click", onCopyClick);
    return () => element?.removeEventListener("click", onCopyClick);
  }, []);
  // renderMarkdown's output has been through DOMPurify.
  return <div ref={ref} class="markdown" dangerouslySetInnerHTML={{ __html: html }} />;
}
