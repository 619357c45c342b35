import { describe, expect, it } from "vitest";
import { actionLabel, actorLabel, changeValue } from "./history";

describe("history entries read", () => {
  it("actions", () => {
    expect(actionLabel("REVIEWED")).toBe("Reviewed");
    expect(actionLabel("SOMETHING_NEW")).toBe("Something new");
  });
  it("actors", () => {
    expect(actorLabel({ kind: "user", name: "ana@example.com" })).toBe("ana@example.com");
    expect(actorLabel({ kind: "token", name: "sync (ana@example.com)" })).toBe("API token sync (ana@example.com)");
    expect(actorLabel({ kind: "system", name: "" })).toBe("the system");
  });
  it("values: empty and long", () => {
    expect(changeValue(null)).toBe("(empty)");
    expect(changeValue("")).toBe("(empty)");
    expect(changeValue("x".repeat(200))).toHaveLength(80);
  });
});
