/**
 * GraphQL Code Generator config for the web app.
 *
 * Reads the committed SDL (codegen/schema.graphql, exported from the Strawberry schema) and the
 * `graphql()` documents in web/src, and writes typed documents to web/src/gql/ with the client
 * preset. Run from web/: `npm run codegen`. Paths are resolved from this file, so the working
 * directory does not matter. Output is deterministic (sorted, no timestamps), so CI can check
 * drift with `git diff --exit-code web/src/gql` after regenerating.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { CodegenConfig } from "@graphql-codegen/cli";

const here = path.dirname(fileURLToPath(import.meta.url));
const web = path.join(here, "..", "web");
const rel = (p: string) => path.relative(process.cwd(), p) || ".";

const config: CodegenConfig = {
  schema: rel(path.join(here, "schema.graphql")),
  documents: [rel(path.join(web, "src/**/*.{ts,tsx}")), "!" + rel(path.join(web, "src/gql/**"))],
  ignoreNoDocuments: false,
  generates: {
    [rel(path.join(web, "src/gql")) + "/"]: {
      preset: "client",
      presetConfig: {
        fragmentMasking: false,
      },
      config: {
        useTypeImports: true,
        // Documents are typed strings: sent as-is over fetch, XHR and graphql-ws.
        documentMode: "string",
        enumsAsTypes: true,
        skipTypename: false,
        dedupeFragments: true,
        scalars: {
          DateTime: "string",
          Date: "string",
          Decimal: "string",
          Upload: "File",
          ID: "string",
        },
      },
    },
  },
};

export default config;
