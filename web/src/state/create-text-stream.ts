/** Text that grows while a reply streams; components subscribe to it instead of lifting it into state. */
export interface TextStream {
  readonly text: string;
  append(delta: string): void;
  subscribe(listener: () => void): () => void;
}

export function createTextStream(): TextStream {
  let text = "";
  const listeners = new Set<() => void>();
  return {
    get text() {
      return text;
    },
    append(delta) {
      text += delta;
      for (const listener of listeners) listener();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
