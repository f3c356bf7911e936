// Builds the web UI into dist/, which `stepwise server` serves. `source` resolves our workspace
// packages to their TypeScript sources, as vitest does.
import { defineConfig } from "vite";

export default defineConfig({
  resolve: { conditions: ["source"] },
  build: { outDir: "dist", emptyOutDir: true, chunkSizeWarningLimit: 1500 },
});
