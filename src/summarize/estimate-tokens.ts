// The gateway's imports, until they name ../providers/estimate-tokens.ts (issue 12, item 1).
export { estimateTokens } from "../providers/estimate-tokens.ts";
