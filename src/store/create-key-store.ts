import {
  GATEWAY_KEY_SQL,
  type GatewayKey,
  type KeyRow,
  makeGatewayKey,
  type NewGatewayKey,
  noSuchKey,
  toGatewayKey,
  toSpendMap,
} from "./gateway-keys.ts";
import type { SqlClient } from "./sql-client.ts";

export interface KeyStore {
  /** Creates a key; the returned token exists nowhere else and cannot be shown again. */
  create(options?: NewGatewayKey): Promise<{ key: GatewayKey; token: string }>;
  /** Every key, revoked ones included, oldest first; `tokenSha256` is for the gateway's lookup. */
  list(): Promise<(GatewayKey & { tokenSha256: string })[]>;
  /** Revokes a key at once (gateways re-read keys within a second); a usage error for an unknown id. */
  revoke(id: string): Promise<void>;
  /** USD spent so far per key id, from the usage log (rows of unknown cost count as 0). */
  spend(): Promise<Map<string, number>>;
}

/** Gateway keys in either backend: only the SHA-256 of a token is stored. */
export function createKeyStore(sql: SqlClient): KeyStore {
  return {
    async create(options) {
      const { key, token, values } = makeGatewayKey(options);
      await sql.run(GATEWAY_KEY_SQL.insert, values);
      return { key, token };
    },
    list: async () => (await sql.all<KeyRow>(GATEWAY_KEY_SQL.list)).map(toGatewayKey),
    revoke: (id) =>
      sql.transaction(async (tx) => {
        if ((await tx.all(GATEWAY_KEY_SQL.revokedAt, [id])).length === 0) throw noSuchKey(id);
        await tx.run(GATEWAY_KEY_SQL.revoke, [Date.now(), id]);
      }),
    spend: async () => toSpendMap(await sql.all(GATEWAY_KEY_SQL.spend)),
  };
}
