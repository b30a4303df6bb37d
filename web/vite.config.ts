import { defineConfig } from "vite";

// Built by `npm run build` into dist/web, which `llmux serve` serves at `/`; nothing is loaded
// from a CDN at run time.
export default defineConfig({
  root: import.meta.dirname,
  base: "/",
  esbuild: { jsx: "automatic", jsxImportSource: "preact" },
  build: {
    outDir: "../dist/web",
    emptyOutDir: true,
    target: "es2022",
    assetsDir: "assets",
    // Source maps stay out of the package; the bundle is small enough to read.
    sourcemap: false,
  },
});
