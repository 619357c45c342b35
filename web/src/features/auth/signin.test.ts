import { describe, expect, it } from "vitest";
import { describeWait, outcomeOf, retryAfterSeconds } from "./signin";

describe("sign-in outcomes", () => {
  it("200 signs in", () => {
    expect(outcomeOf(200, null, null)).toEqual({ kind: "ok" });
  });

  it("401 INVALID_CREDENTIALS", () => {
    const body = { error: { code: "INVALID_CREDENTIALS", message: "wrong email or password" } };
    expect(outcomeOf(401, body, null)).toEqual({ kind: "invalid" });
  });

  it("429 TOO_MANY_ATTEMPTS says when to retry (header first, then the message)", () => {
    const body = { error: { code: "TOO_MANY_ATTEMPTS", message: "too many failed sign-ins; retry in 42 s" } };
    expect(outcomeOf(429, body, "300")).toEqual({ kind: "throttled", retryAfterSeconds: 300 });
    expect(outcomeOf(429, body, null)).toEqual({ kind: "throttled", retryAfterSeconds: 42 });
    expect(outcomeOf(429, null, null)).toEqual({ kind: "throttled", retryAfterSeconds: null });
  });

  it("anything else shows the API's message", () => {
    expect(outcomeOf(403, { error: { code: "CROSS_SITE_REQUEST", message: "sign-in must come from the web app" } }, null)).toEqual({
      kind: "error",
      message: "sign-in must come from the web app",
    });
    expect(outcomeOf(500, null, null)).toEqual({ kind: "error", message: "The API answered 500." });
  });

  it("Retry-After is believed only as a plain number", () => {
    expect(retryAfterSeconds("Wed, 21 Oct 2015 07:28:00 GMT", null)).toBeNull();
    expect(retryAfterSeconds("-5", null)).toBeNull();
    expect(retryAfterSeconds("1e9", null)).toBeNull();
    expect(retryAfterSeconds(" 7 ", null)).toBe(7);
    expect(retryAfterSeconds(null, "retry in 99999999999 s")).toBeNull();
  });

  it("describes the wait", () => {
    expect(describeWait(1)).toBe("in 1 second");
    expect(describeWait(45)).toBe("in 45 seconds");
    expect(describeWait(600)).toBe("in 10 minutes");
    expect(describeWait(null)).toBe("in a moment");
  });
});
