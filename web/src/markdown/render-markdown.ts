import DOMPurify from "dompurify";
import { Marked } from "marked";
import { highlightCode } from "./highlight-code.ts";

const ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

const marked = new Marked({
  gfm: true,
  breaks: false,
  renderer: {
    code({ text, lang }) {
      const language = (lang ?? "").trim().split(/\s+/, 1)[0]?.toLowerCase() ?? "";
      const body = highlightCode(text, language) ?? escapeHtml(text);
      const label = language ? `<span class="code-lang">${escapeHtml(language)}</span>` : "<span></span>";
      return `<div class="code-block"><div class="code-head">${label}<button type="button" class="copy-code" aria-label="Copy code">Copy</button></div><pre><code class="hljs">${body}</code></pre></div>`;
    },
  },
});

// Links the model writes open in a new tab and tell the target nothing about this page.
DOMPurify.addHook("afterSanitizeAttributes", (node) => {
  if (node.tagName === "A" && node.hasAttribute("href")) {
    node.setAttribute("target", "_blank");
    node.setAttribute("rel", "noopener noreferrer nofollow");
  }
});

/**
 * Model output as safe HTML: Markdown through marked, then DOMPurify, which drops script,
 * event handlers, `javascript:` and other unsafe URLs, forms and frames, whatever the model wrote.
 */
export function renderMarkdown(markdown: string): string {
  const html = marked.parse(markdown, { async: false });
  return DOMPurify.sanitize(html, {
    FORBID_TAGS: ["style", "form", "input", "textarea", "select", "iframe", "object", "embed"],
    FORBID_ATTR: ["style"],
  });
}
