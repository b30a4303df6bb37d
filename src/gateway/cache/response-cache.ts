import type { CachedAnswer } from "./cached-answer.ts";

/** Where the gateway keeps answers: this process's memory, or Redis for every replica. */
export interface ResponseCache {
  /** The answer under `key`, if held and not expired; undefined (a miss) when the store fails. */
  get(key: string): Promise<CachedAnswer | undefined>;
  /** Keeps `answer` (`bytes` long) for the configured TTL; a store that fails keeps nothing. */
  set(key: string, answer: CachedAnswer, bytes: number): void;
  /** Bytes held in this process; undefined where another server holds them (Redis). */
  bytes(): number | undefined;
  close(): Promise<void>;
}
