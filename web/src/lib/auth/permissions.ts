/**
 * What each role may do, mirroring the API's one policy table (api/auth/policy.py: POLICY,
 * Permission, may_grant). The web app only hides what a role may not do; the API decides.
 */
import type { Role } from "@/gql/graphql";

/** The API's permission names (api/auth/policy.py `Permission`). */
export type Permission = "read" | "upload" | "review" | "export" | "admin";

/** "review" also covers finalize, retry and cancel; "admin" covers users and everyone's tokens. */
export const POLICY: Readonly<Record<Role, ReadonlySet<Permission>>> = {
  ADMIN: new Set<Permission>(["read", "upload", "review", "export", "admin"]),
  REVIEWER: new Set<Permission>(["read", "upload", "review", "export"]),
  UPLOADER: new Set<Permission>(["read", "upload"]),
  VIEWER: new Set<Permission>(["read", "export"]),
};

export const ROLES: readonly Role[] = ["ADMIN", "REVIEWER", "UPLOADER", "VIEWER"];

/** Whether `role` may do `permission`; an unknown role (a newer API) may do nothing. */
export function can(role: Role | null | undefined, permission: Permission): boolean {
  return policyOf(role)?.has(permission) ?? false;
}

/** The role's permissions; own keys only ("__proto__" or a newer API's role: none). */
function policyOf(role: Role | null | undefined): ReadonlySet<Permission> | null {
  return role && Object.hasOwn(POLICY, role) ? POLICY[role] : null;
}

/**
 * Whether an owner with `owner` may give a token the role `wanted`: the token can do nothing its
 * owner cannot (an uploader cannot mint a viewer token, as viewers export). Mirrors may_grant.
 */
export function mayGrant(owner: Role, wanted: Role): boolean {
  const mine = policyOf(owner);
  const theirs = policyOf(wanted);
  if (!mine || !theirs) return false;
  return [...theirs].every((p) => mine.has(p));
}

/** The roles a token of `owner` may carry, highest first. */
export function grantableRoles(owner: Role): Role[] {
  return ROLES.filter((r) => mayGrant(owner, r));
}

export function roleLabel(role: Role): string {
  return role.charAt(0) + role.slice(1).toLowerCase();
}
