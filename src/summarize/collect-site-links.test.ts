import assert from "node:assert/strict";
import { test } from "node:test";
import { collectSiteLinks } from "./collect-site-links.ts";

const PAGE = "https://acme.test/en/";

test("same-site page links, resolved, deduplicated, in page order, with their text", () => {
  const html = `<html><body><nav>
    <a href="about">About <b>us</b></a>
    <a class="x" href='/products?line=kites#top'>Products</a>
    <a href=/pricing title="Our prices"><img src="p.png"></a>
    <a href="https://acme.test/about#team">Team</a>
    <a href="/careers">Careers &amp; jobs</a>
    <a href="/en/">Home</a><a href="#main">Skip</a>
  </nav></body></html>`;
  assert.deepEqual(collectSiteLinks(html, PAGE), [
    { url: "https://acme.test/en/about", text: "About us" },
    { url: "https://acme.test/products?line=kites", text: "Products" },
    { url: "https://acme.test/pricing", text: "Our prices" },
    { url: "https://acme.test/about", text: "Team" },
    { url: "https://acme.test/careers", text: "Careers & jobs" },
  ]);
});

test("other sites, other schemes, files and broken addresses are left out", () => {
  const html = `
    <a href="https://other.test/about">Other site</a>
    <a href="http://acme.test/about">Another origin (http)</a>
    <a href="mailto:hi@acme.test">Mail</a> <a href="tel:+441234">Call</a>
    <a href="javascript:void(0)">Menu</a>
    <a href="/logo.PNG">Logo</a> <a href="/app.js">Script</a> <a href="/report.pdf">Report</a>
    <a href="http://[::1">Broken</a> <a name="anchor">No href</a>
    <a href="/team">Team</a>`;
  assert.deepEqual(collectSiteLinks(html, PAGE), [{ url: "https://acme.test/team", text: "Team" }]);
});

test("a <base href> moves where relative links point", () => {
  const html = `<head><base href="https://acme.test/docs/"></head><a href="intro">Intro</a>`;
  assert.deepEqual(collectSiteLinks(html, PAGE), [{ url: "https://acme.test/docs/intro", text: "Intro" }]);
});

test("a page of a hundred thousand links is read in bounded time and kept to 150", () => {
  const html = Array.from({ length: 100_000 }, (_, i) => `<a href="/p${i}">Page ${i}`).join("");
  const started = performance.now();
  const links = collectSiteLinks(html, PAGE);
  assert.equal(links.length, 150);
  assert.ok(performance.now() - started < 2000);
});
