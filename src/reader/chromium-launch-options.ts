/**
 * How llmux starts Chromium (Debian's, or CHROME_PATH): headless, and with the background
 * services off, since on a closed network they only fail and retry.
 */
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-quic",
];

export function chromiumExecutablePath(env: NodeJS.ProcessEnv = process.env): string {
  return env.CHROME_PATH ?? "/usr/bin/chromium";
}
