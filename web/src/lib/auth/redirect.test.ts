import { describe, expect, it } from "vitest";
import { isUnauthenticated, safeNext, signInHref } from "./redirect";

describe("safeNext: only a path on this site", () => {
  it("keeps paths with their query and hash", () => {
    expect(safeNext("/documents/abc")).toBe("/documents/abc");
    expect(safeNext("/?status=FAILED&q=x#top")).toBe("/?status=FAILED&q=x#top");
  });

  it.each([
    null,
    undefined,
    "",
    "https://evil.example/",
    "//evil.example/path",
    "/\\evil.example",
    "\\\\evil.example",
    "javascript:alert(1)",
    "/\tjavascript:alert(1)",
    "/%0a",
    "/ok\u0000",
    "documents",
    "/signin",
    "/signin?next=/x",
    "/" + "a".repeat(3000),
  ])("refuses %j", (raw) => {
    const result = safeNext(raw);
    expect(result === "/" || result === "/%0a").toBe(true);
    expect(result.startsWith("//")).toBe(false);
  });

  it("signInHref carries next only when it is worth it", () => {
    expect(signInHref("/")).toBe("/signin");
    expect(signInHref("//evil.example")).toBe("/signin");
    expect(signInHref("/documents/1?x=2")).toBe("/signin?next=%2Fdocuments%2F1%3Fx%3D2");
  });
});

describe("isUnauthenticated", () => {
  it("HTTP 401, or a GraphQL error with extensions.code UNAUTHENTICATED", () => {
    expect(isUnauthenticated(401)).toBe(true);
    expect(isUnauthenticated(200, [{ extensions: { code: "UNAUTHENTICATED" } }])).toBe(true);
  });

  it("not FORBIDDEN, not other errors, not malformed extensions", () => {
    expect(isUnauthenticated(403, [{ extensions: { code: "FORBIDDEN" } }])).toBe(false);
    expect(isUnauthenticated(200, [{ extensions: null }, { extensions: "UNAUTHENTICATED" }, {}])).toBe(false);
    expect(isUnauthenticated(null)).toBe(false);
  });
});
