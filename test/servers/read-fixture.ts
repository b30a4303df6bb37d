import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

/** Where the recorded provider responses live (tests run with cwd = repo root). */
const FIXTURES_DIR = path.resolve("../shared/provider-fixtures");

/** A recorded response: its whole body, its stream events, or both. */
export interface Fixture {
  /** `<name>.json` as recorded, byte for byte. */
  jsonText?: string;
  /** `<name>.chunks.txt`: one event payload per line, blank lines dropped. */
  lines?: string[];
  /** `jsonText` parsed. */
  json?: unknown;
  /** `lines` parsed. */
  events?: unknown[];
}

/**
 * Reads ../shared/provider-fixtures/<name>.json and/or <name>.chunks.txt, e.g.
 * `readFixture("openai/chat/openai-text")`. Throws when neither exists.
 */
export function readFixture(name: string): Fixture {
  const base = path.join(FIXTURES_DIR, name);
  const fixture: Fixture = {};
  if (existsSync(`${base}.json`)) {
    fixture.jsonText = readFileSync(`${base}.json`, "utf8");
    fixture.json = JSON.parse(fixture.jsonText);
  }
  if (existsSync(`${base}.chunks.txt`)) {
    fixture.lines = readFileSync(`${base}.chunks.txt`, "utf8")
      .split("\n")
      .filter((line) => line.trim() !== "");
    fixture.events = fixture.lines.map((line) => JSON.parse(line));
  }
  if (fixture.jsonText === undefined && fixture.lines === undefined) {
    throw new Error(`no fixture ${name}(.json|.chunks.txt) in ${FIXTURES_DIR}`);
  }
  return fixture;
}
