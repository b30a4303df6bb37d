import { randomBytes } from "node:crypto";

/** An id in OpenAI's style for a Response or an output item: `resp_`, `msg_`, `fc_`, `rs_` and 48 hex digits. */
export function createItemId(prefix: "resp" | "msg" | "fc" | "rs"): string {
  return `${prefix}_${randomBytes(24).toString("hex")}`;
}
