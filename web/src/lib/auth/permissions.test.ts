import { describe, expect, it } from "vitest";
import { can, grantableRoles, mayGrant, POLICY, ROLES, type Permission } from "./permissions";

const ALL: Permission[] = ["read", "upload", "review", "export", "admin"];

describe("can (mirrors api/auth/policy.py POLICY)", () => {
  it.each([
    ["ADMIN", ["read", "upload", "review", "export", "admin"]],
    ["REVIEWER", ["read", "upload", "review", "export"]],
    ["UPLOADER", ["read", "upload"]],
    ["VIEWER", ["read", "export"]],
  ] as const)("%s may do exactly %j", (role, allowed) => {
    expect(ALL.filter((p) => can(role, p))).toEqual(allowed);
  });

  it("uploader: no review/finalize/retry/cancel/export; viewer: no upload/review", () => {
    expect(can("UPLOADER", "review")).toBe(false);
    expect(can("UPLOADER", "export")).toBe(false);
    expect(can("VIEWER", "upload")).toBe(false);
    expect(can("VIEWER", "review")).toBe(false);
  });

  it("no role, or a role this build does not know, may do nothing", () => {
    for (const p of ALL) {
      expect(can(null, p)).toBe(false);
      expect(can(undefined, p)).toBe(false);
      expect(can("SUPERUSER" as never, p)).toBe(false);
      expect(can("__proto__" as never, p)).toBe(false);
    }
  });

  it("only admin has admin", () => {
    expect(ROLES.filter((r) => can(r, "admin"))).toEqual(["ADMIN"]);
  });
});

describe("mayGrant (mirrors may_grant: the token's permissions ⊆ the owner's)", () => {
  it("admin grants every role; reviewer every role but admin", () => {
    expect(grantableRoles("ADMIN")).toEqual(["ADMIN", "REVIEWER", "UPLOADER", "VIEWER"]);
    expect(grantableRoles("REVIEWER")).toEqual(["REVIEWER", "UPLOADER", "VIEWER"]);
  });

  it("an uploader cannot mint a viewer token (viewers export), nor a viewer an uploader one", () => {
    expect(mayGrant("UPLOADER", "VIEWER")).toBe(false);
    expect(grantableRoles("UPLOADER")).toEqual(["UPLOADER"]);
    expect(grantableRoles("VIEWER")).toEqual(["VIEWER"]);
  });

  it("every role may grant itself", () => {
    for (const r of Object.keys(POLICY) as (keyof typeof POLICY)[]) expect(mayGrant(r, r)).toBe(true);
  });
});
