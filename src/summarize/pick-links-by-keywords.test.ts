import assert from "node:assert/strict";
import { test } from "node:test";
import { pickLinksByKeywords } from "./pick-links-by-keywords.ts";

const link = (path: string, text = "") => ({ url: `https://acme.test${path}`, text });

test("links naming what an overview needs come first, most matches first, then in page order", () => {
  const links = [
    link("/blog/2019/kites", "Our blog"),
    link("/x1", "Kite of the week"),
    link("/company/about", "About the company"),
    link("/pricing", "Plans and pricing"),
    link("/privacy", "Privacy policy"),
    link("/careers", "Jobs"),
  ];
  assert.deepEqual(
    pickLinksByKeywords(links, 3).map((l) => l.url),
    ["https://acme.test/company/about", "https://acme.test/pricing", "https://acme.test/careers"],
  );
});

test("with no keyword anywhere, the first links of the page; privacy, terms and logins never", () => {
  const links = [link("/terms", "Terms"), link("/a", "One"), link("/login"), link("/b", "Two"), link("/c")];
  assert.deepEqual(
    pickLinksByKeywords(links, 2).map((l) => l.url),
    ["https://acme.test/a", "https://acme.test/b"],
  );
});
