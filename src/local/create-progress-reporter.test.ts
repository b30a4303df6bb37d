import assert from "node:assert/strict";
import { Writable } from "node:stream";
import { test } from "node:test";
import { createProgressReporter } from "./create-progress-reporter.ts";

function sink(isTTY: boolean) {
  let text = "";
  const stream = Object.assign(
    new Writable({
      write(chunk, _encoding, callback) {
        text += String(chunk);
        callback();
      },
    }),
    { isTTY },
  );
  return { stream, text: () => text };
}

const at = (receivedBytes: number) => ({
  receivedBytes,
  totalBytes: 2_000_000_000,
  bytesPerSecond: 25_000_000,
  etaSeconds: (2_000_000_000 - receivedBytes) / 25_000_000,
});

test("on a TTY one line is redrawn in place with bytes, rate and ETA", () => {
  const out = sink(true);
  const reporter = createProgressReporter(out.stream);
  reporter.report(at(500_000_000));
  reporter.report(at(2_000_000_000));
  reporter.finish();
  const text = out.text();
  assert.match(text, /^\r 25% .*500 MB \/ 2\.0 GB {2}25\.0 MB\/s {2}ETA 1:00\x1b\[K/);
  assert.match(text, /\r100% .*2\.0 GB \/ 2\.0 GB/);
  assert.equal(text.split("\n").length, 2, "a single line, ended once");
});

test("elsewhere plain lines, one per 10%", () => {
  const out = sink(false);
  const reporter = createProgressReporter(out.stream);
  for (let bytes = 0; bytes <= 2_000_000_000; bytes += 50_000_000) reporter.report(at(bytes));
  reporter.finish();
  const lines = out.text().trimEnd().split("\n");
  assert.equal(lines.length, 11);
  assert.doesNotMatch(out.text(), /\r|\x1b/);
  assert.match(lines[5] ?? "", /^ 50% {2}1\.0 GB \/ 2\.0 GB/);
});
