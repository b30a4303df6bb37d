import type Database from "better-sqlite3";
import type { GatewayContext } from "../gateway-context.ts";

/** What the web app's routes need from the gateway that serves them. */
export interface AppContext extends Pick<GatewayContext, "config" | "keys" | "recordUsage"> {
  /** The llmux database; conversations are saved in it. */
  database: Database.Database;
  /**
   * Let /api/summarize read pages on loopback and private addresses. The server's own setting,
   * never the request's: otherwise any web page could make the gateway fetch the local network.
   */
  allowPrivateAddresses: boolean;
  /** The built web app (index.html, assets/); default: dist/web of this package. */
  webRoot?: string;
}
