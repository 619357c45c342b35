import { describe, expect, it } from "vitest";
import { buildCsp, originOf } from "./csp";

describe("the web app's CSP", () => {
  const csp = buildCsp({ nonce: "abc", apiUrl: "http://127.0.0.1:8000", wsUrl: "ws://127.0.0.1:8000/graphql", dev: false });
  const directive = (name: string) => csp.split("; ").find((d) => d.startsWith(`${name} `));

  it("connects only to itself and the API (http and ws)", () => {
    expect(directive("connect-src")).toBe("connect-src 'self' http://127.0.0.1:8000 ws://127.0.0.1:8000");
  });

  it("scripts by nonce only, no eval or inline outside development; never framed", () => {
    expect(directive("script-src")).toBe("script-src 'self' 'nonce-abc' 'strict-dynamic'");
    expect(csp).not.toContain("unsafe-eval");
    expect(directive("frame-ancestors")).toBe("frame-ancestors 'none'");
    expect(directive("object-src")).toBe("object-src 'none'");
    expect(directive("worker-src")).toContain("'self'");
  });

  it("development allows eval and the hot-reload socket", () => {
    const dev = buildCsp({ nonce: "n", apiUrl: "http://localhost:8000", wsUrl: "ws://localhost:8000/graphql", dev: true });
    expect(dev).toContain("'unsafe-eval'");
    expect(dev).toContain(" ws:");
  });

  it("an API URL that is not http(s)/ws(s) adds nothing", () => {
    expect(originOf("javascript:alert(1)")).toBeNull();
    expect(originOf("not a url")).toBeNull();
    expect(originOf("https://api.example.com/path?x=1")).toBe("https://api.example.com");
    const odd = buildCsp({ nonce: "n", apiUrl: "data:text/html,x", wsUrl: "x; script-src *", dev: false });
    expect(odd.split("; ").find((d) => d.startsWith("connect-src"))).toBe("connect-src 'self'");
  });
});
