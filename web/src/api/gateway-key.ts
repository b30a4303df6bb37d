const STORAGE_KEY = "llmux-gateway-key";

/** The gateway key this browser sends, when the gateway asks for one (kept in this browser only). */
export const gatewayKey = {
  get: (): string | null => localStorage.getItem(STORAGE_KEY),
  set(key: string | null): void {
    if (key) localStorage.setItem(STORAGE_KEY, key);
    else localStorage.removeItem(STORAGE_KEY);
  },
  /** Headers for a gateway request: JSON, plus the key when one is saved. */
  headers(): Record<string, string> {
    const key = localStorage.getItem(STORAGE_KEY);
    return { "content-type": "application/json", ...(key ? { authorization: `Bearer ${key}` } : {}) };
  },
};
