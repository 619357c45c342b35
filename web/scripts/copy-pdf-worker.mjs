// Copies PDF.js's worker into public/ so the review screen loads it from this app, never a CDN.
// Runs as npm's postinstall; safe to run again.
import { copyFileSync, existsSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const here = dirname(fileURLToPath(import.meta.url));
const publicDir = join(here, "..", "public");

let source;
try {
  source = require.resolve("pdfjs-dist/build/pdf.worker.min.mjs");
} catch {
  console.warn("copy-pdf-worker: pdfjs-dist is not installed yet; skipped");
  process.exit(0);
}
if (!existsSync(publicDir)) mkdirSync(publicDir, { recursive: true });
copyFileSync(source, join(publicDir, "pdf.worker.min.mjs"));
console.log("copy-pdf-worker: public/pdf.worker.min.mjs");
