import assert from "node:assert/strict";
import { test } from "node:test";
import { extractContent } from "./extract-content.ts";

const SENTENCE = "The committee met on Tuesday to review the bridge inspection results in detail. ";
const para = (n: number) => `<p>Finding ${n}. ${SENTENCE.repeat(3)}</p>`;

function page(article: string, { head = "", outside = "" } = {}): string {
  return `<!doctype html><html lang="en-GB"><head><title>Council reviews the old river bridge | Daily Paper</title>${head}</head><body>
<header><nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li><li><a href="/sport">Sport</a></li></ul></nav></header>
<div class="cookie-banner">We use cookies to improve your experience. Accept all cookies</div>
<main><article>
<h1>Council reviews the old river bridge</h1>
<div class="share-bar"><a href="https://facebook.com/x">Facebook</a> <a href="https://twitter.com/x">Twitter</a></div>
${article}
<div class="newsletter-signup">Get the best stories in your inbox every morning. Sign up for our newsletter now.</div>
<ul class="related-stories"><li><a href="/a">Council approves new budget</a></li><li><a href="/b">Storm closes roads</a></li><li><a href="/c">Library reopens</a></li></ul>
</article></main>
<footer><p>Copyright Daily Paper Ltd. All rights reserved. Contact us · Privacy policy</p></footer>
</body>${outside}</html>`;
}

test("keeps the article and drops navigation, share bar, newsletter box, related links, cookie banner, footer", () => {
  const out = extractContent(page(para(1) + para(2) + para(3)), { url: "https://paper.example/news/bridge" });
  assert.match(out.text, /^Finding 1\. The committee met/);
  assert.match(out.text, /Finding 3\./);
  for (const junk of ["Home", "Facebook", "newsletter", "Council approves", "cookies", "Copyright"]) {
    assert.ok(!out.text.includes(junk), `${junk} should be gone`);
  }
  assert.equal(out.title, "Council reviews the old river bridge");
  assert.equal(out.lang, "en-GB");
  assert.equal(out.wordCount, 3 * (2 + 3 * 13));
  assert.match(out.text, /detail\.\n\nFinding 2/, "paragraphs separated by a blank line");
});

test("Markdown has headings, lists, absolute links, fenced code with its language, and GFM tables", () => {
  const article = `${para(1)}<h2>Costs</h2>
<p>See <a href="/reports/2024.pdf">the full report</a> and <a href="https://other.example/x">this</a>.</p>
<ul><li>steel repairs</li><li>new paint</li></ul>
<table><thead><tr><th>Item</th><th>Cost</th></tr></thead><tbody><tr><td>Steel</td><td>£1,200</td></tr><tr><td>Paint</td><td>£300</td></tr></tbody></table>
<pre><code class="language-python">def total(items):
    return sum(items)</code></pre>${para(2)}`;
  const out = extractContent(page(article), { url: "https://paper.example/news/bridge" });
  assert.match(out.markdown, /^# Council reviews the old river bridge\n/);
  assert.match(out.markdown, /^## Costs$/m);
  assert.match(out.markdown, /\[the full report\]\(https:\/\/paper\.example\/reports\/2024\.pdf\)/);
  assert.match(out.markdown, /^- +steel repairs$/m);
  assert.match(
    out.markdown,
    /\| Item \| Cost \|\n\| --- \| --- \|\n\| Steel \| £1,200 \|\n\| Paint \| £300 \|/,
  );
  assert.match(out.markdown, /```python\ndef total\(items\):\n {4}return sum\(items\)\n```/);
});

test("byline and date come from JSON-LD or meta tags, else from a <time> element", () => {
  const jsonLd = `<script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle",
    "headline":"Council reviews the old river bridge","author":{"@type":"Person","name":"Ada Jones"},"datePublished":"2024-03-05T09:00:00Z"}</script>`;
  const withLd = extractContent(page(para(1) + para(2) + para(3), { head: jsonLd }));
  assert.equal(withLd.byline, "Ada Jones");
  assert.equal(withLd.published, "2024-03-05T09:00:00Z");
  assert.match(
    withLd.markdown,
    /^# Council reviews the old river bridge\n\nAda Jones · 2024-03-05T09:00:00Z\n/,
  );

  const withTime = extractContent(
    page(`<p>Published <time datetime="2023-11-02">2 Nov</time></p>${para(1)}${para(2)}`),
  );
  assert.equal(withTime.published, "2023-11-02");
  assert.equal(withTime.byline, null);
});

test("content that linkedom leaves outside <body> is still read", () => {
  const html = page(para(1), { outside: `<div><p>Late paragraph. ${SENTENCE.repeat(8)}</p></div>` });
  const out = extractContent(html);
  assert.match(out.text, /Late paragraph\./);
});

test("without an article Readability can find, the page's visible text is used", () => {
  const out = extractContent("<p>Short note: the office is closed on Friday.</p>");
  assert.equal(out.text, "Short note: the office is closed on Friday.");
  assert.equal(out.wordCount, 8);
});
