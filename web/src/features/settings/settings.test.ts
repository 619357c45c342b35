import { describe, expect, it } from "vitest";
import { MAX_EXPIRY_DAYS, parseExpiryDays, tokenState } from "./settings";

describe("parseExpiryDays", () => {
  it("empty is never; whole days within range", () => {
    expect(parseExpiryDays("")).toEqual({ days: null });
    expect(parseExpiryDays("  ")).toEqual({ days: null });
    expect(parseExpiryDays("90")).toEqual({ days: 90 });
    expect(parseExpiryDays(String(MAX_EXPIRY_DAYS))).toEqual({ days: MAX_EXPIRY_DAYS });
  });

  it.each(["0", "-1", "1.5", "1e3", "NaN", "Infinity", "0x10", "٣", "99999999999", String(MAX_EXPIRY_DAYS + 1), "7 days"])("refuses %j", (raw) => {
    expect("error" in parseExpiryDays(raw)).toBe(true);
  });
});

describe("tokenState", () => {
  const now = new Date("2026-06-01T12:00:00Z");
  it("revoked wins, then expired, else active", () => {
    expect(tokenState({ revokedAt: "2026-05-01T00:00:00Z", expiresAt: null }, now)).toBe("revoked");
    expect(tokenState({ revokedAt: null, expiresAt: "2026-06-01T11:59:59Z" }, now)).toBe("expired");
    expect(tokenState({ revokedAt: null, expiresAt: "2026-06-02T00:00:00Z" }, now)).toBe("active");
    expect(tokenState({ revokedAt: null, expiresAt: null }, now)).toBe("active");
  });
});
