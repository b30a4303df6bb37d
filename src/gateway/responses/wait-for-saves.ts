import type { ResponseStore } from "../../store/response-store.ts";

/**
 * The store with its saves awaited by reads of the same id: a Response is saved as its answer
 * ends, without holding the answer back, and a client that asks for it (GET, or
 * previous_response_id) right after must find it all the same.
 */
export function waitForSaves(store: ResponseStore): ResponseStore {
  const saving = new Map<string, Promise<void>>();
  const saved = (id: string) => saving.get(id)?.catch(() => undefined);
  return {
    save(owner, id, stored) {
      const done = store.save(owner, id, stored).finally(() => saving.delete(id));
      saving.set(id, done);
      return done;
    },
    get: async (owner, id) => {
      await saved(id);
      return store.get(owner, id);
    },
    remove: async (owner, id) => {
      await saved(id);
      return store.remove(owner, id);
    },
  };
}
