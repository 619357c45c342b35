import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

/** Unit tests of pure logic (live cache merge rules, URL state): plain Node, no DOM, no React renderer. */
export default defineConfig({
  resolve: { alias: { "@": fileURLToPath(new URL("./src", import.meta.url)) } },
  test: { include: ["src/**/*.test.ts"], environment: "node" },
});
