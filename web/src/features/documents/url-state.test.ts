import { describe, expect, it } from "vitest";
import {
  dashboardUrlActions,
  exportQuery,
  listVariables,
  PAGE_SIZE,
  parseDashboardUrl,
  toggledSort,
  writeDashboardUrl,
  type DashboardUrlState,
} from "./url-state";

const parse = (query: string) => parseDashboardUrl(new URLSearchParams(query));

/** Runs one action and returns the query string it navigated to. */
function navigateWith(query: string, act: (actions: ReturnType<typeof dashboardUrlActions>) => void): string | null {
  let target: string | null = null;
  const current = new URLSearchParams(query);
  act(dashboardUrlActions(parseDashboardUrl(current), (q) => (target = q), current));
  return target;
}

describe("parseDashboardUrl", () => {
  it("reads every part", () => {
    expect(parse("q=acme&status=FAILED&sort=TOTAL_AMOUNT&dir=ASC&after=c1&after=c2")).toEqual({
      search: "acme",
      status: "FAILED",
      sort: { field: "TOTAL_AMOUNT", direction: "ASC" },
      cursors: ["c1", "c2"],
    });
  });

  it("falls back to the defaults for missing, unknown or malformed values", () => {
    const defaults: DashboardUrlState = {
      search: "",
      status: null,
      sort: { field: "UPLOADED_AT", direction: "DESC" },
      cursors: [],
    };
    expect(parse("")).toEqual(defaults);
    expect(parse("status=DELETED&sort=password&dir=sideways&after=")).toEqual(defaults);
    expect(parse("status=failed&sort=filename")).toEqual(defaults); // values are case-sensitive enums
    expect(parse("q=%20%20")).toEqual(defaults);
  });
});

describe("writeDashboardUrl", () => {
  it("leaves the defaults out of the URL", () => {
    expect(writeDashboardUrl(parse(""))).toBe("");
    expect(writeDashboardUrl(parse("sort=UPLOADED_AT&dir=DESC"))).toBe("");
  });

  it("round-trips any state", () => {
    for (const query of [
      "q=acme&status=FAILED&sort=TOTAL_AMOUNT&dir=ASC&after=c1&after=c2",
      "sort=UPLOADED_AT&dir=ASC",
      "sort=FILENAME",
      "q=a%26status%3DFAILED%23x", // hostile search text stays one value
    ]) {
      const state = parse(query);
      expect(parse(writeDashboardUrl(state))).toEqual(state);
    }
    expect(parse("q=a%26status%3DFAILED%23x")).toMatchObject({ search: "a&status=FAILED#x", status: null });
  });

  it("keeps parameters that are not the dashboard's", () => {
    expect(writeDashboardUrl(parse("status=QUEUED"), new URLSearchParams("debug=1&status=FAILED"))).toBe(
      "debug=1&status=QUEUED",
    );
  });
});

describe("toggledSort", () => {
  it("flips the active column and starts others ascending, the upload date newest first", () => {
    expect(toggledSort({ field: "FILENAME", direction: "ASC" }, "FILENAME")).toEqual({ field: "FILENAME", direction: "DESC" });
    expect(toggledSort({ field: "UPLOADED_AT", direction: "DESC" }, "FILENAME")).toEqual({ field: "FILENAME", direction: "ASC" });
    expect(toggledSort({ field: "FILENAME", direction: "DESC" }, "UPLOADED_AT")).toEqual({ field: "UPLOADED_AT", direction: "DESC" });
    expect(toggledSort({ field: "UPLOADED_AT", direction: "DESC" }, "UPLOADED_AT")).toEqual({ field: "UPLOADED_AT", direction: "ASC" });
  });
});

describe("dashboardUrlActions", () => {
  it("goes back to the first page when search, filter or sort change", () => {
    const deep = "q=acme&after=c1&after=c2";
    expect(navigateWith(deep, (a) => a.setStatus("COMPLETED"))).toBe("q=acme&status=COMPLETED");
    expect(navigateWith(deep, (a) => a.setSearch("  globex ")) ).toBe("q=globex");
    expect(navigateWith(deep, (a) => a.toggleSort("VENDOR_NAME"))).toBe("q=acme&sort=VENDOR_NAME&dir=ASC");
    expect(navigateWith("status=FAILED&after=c1", (a) => a.setStatus(null))).toBe("");
  });

  it("does not navigate when the search did not change", () => {
    expect(navigateWith("q=acme&after=c1", (a) => a.setSearch("acme "))).toBeNull();
  });

  it("walks pages forward and back through the cursors", () => {
    expect(navigateWith("status=QUEUED", (a) => a.nextPage("c1"))).toBe("status=QUEUED&after=c1");
    expect(navigateWith("status=QUEUED&after=c1", (a) => a.nextPage("c2"))).toBe("status=QUEUED&after=c1&after=c2");
    expect(navigateWith("status=QUEUED&after=c1&after=c2", (a) => a.previousPage())).toBe("status=QUEUED&after=c1");
    expect(navigateWith("status=QUEUED&after=c1", (a) => a.previousPage())).toBe("status=QUEUED");
  });
});

describe("listVariables and exportQuery", () => {
  it("turn the URL state into the list query's variables", () => {
    expect(listVariables(parse("q=acme&status=FAILED&sort=STATUS&after=c1&after=c2"))).toEqual({
      search: "acme",
      filter: { status: ["FAILED"] },
      sort: { field: "STATUS", direction: "DESC" },
      first: PAGE_SIZE,
      after: "c2",
    });
    expect(listVariables(parse(""))).toMatchObject({ search: null, filter: null, after: null });
  });

  it("export the same documents the filters show, whatever page is open", () => {
    expect(exportQuery(parse("q=acme&status=FINALIZED&sort=STATUS&after=c1"))).toBe("?search=acme&status=FINALIZED");
    expect(exportQuery(parse("sort=STATUS"))).toBe("");
    expect(exportQuery(parse("q=a%26b"))).toBe("?search=a%26b");
  });
});
