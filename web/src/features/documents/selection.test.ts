import { describe, expect, it } from "vitest";
import { EMPTY_SELECTION, pageState, selectionArgs, selectionExportQuery, toggleOne, togglePage, without } from "./selection";

describe("selection", () => {
  it("toggles rows and the page", () => {
    const one = toggleOne(EMPTY_SELECTION, "a");
    expect([...one.ids]).toEqual(["a"]);
    expect(pageState(one, ["a", "b"])).toBe("some");
    const page = togglePage(one, ["a", "b"]);
    expect(pageState(page, ["a", "b"])).toBe("all");
    expect(pageState(togglePage(page, ["a", "b"]), ["a", "b"])).toBe("none");
    expect([...toggleOne(one, "a").ids]).toEqual([]);
  });

  it("sends ids, or the list's filter when all matching are selected", () => {
    const picked = toggleOne(toggleOne(EMPTY_SELECTION, "a"), "b");
    expect(selectionArgs(picked, { search: "acme", filter: { status: ["COMPLETED"] } })).toEqual({ ids: ["a", "b"] });
    const all = { ...picked, allMatching: true };
    expect(selectionArgs(all, { search: "acme", filter: { status: ["COMPLETED"] } })).toEqual({
      filter: { status: ["COMPLETED"] },
      search: "acme",
    });
    expect(selectionExportQuery(picked, "?status=FINALIZED")).toBe("?ids=a&ids=b");
    expect(selectionExportQuery(all, "?status=FINALIZED")).toBe("?status=FINALIZED");
  });

  it("drops what a bulk action did", () => {
    const picked = toggleOne(toggleOne(EMPTY_SELECTION, "a"), "b");
    expect([...without(picked, ["a"]).ids]).toEqual(["b"]);
    expect(without({ ...picked, allMatching: true }, ["a"])).toEqual(EMPTY_SELECTION);
  });
});
