"use client";

import type { ReactNode } from "react";
import type { Permission } from "@/lib/auth/permissions";
import { roleLabel } from "@/lib/auth/permissions";
import { useCan, useMe } from "@/lib/auth/session";
import { EmptyState } from "./States";

/** A screen only some roles may use: the others are told why instead (the API refuses anyway). */
export function RequirePermission({ permission, what, children }: { permission: Permission; what: string; children: ReactNode }) {
  const me = useMe();
  if (useCan()(permission)) return <>{children}</>;
  return (
    <div data-testid="not-allowed" data-permission={permission}>
      <EmptyState title={`Your role (${roleLabel(me.role)}) may not ${what}.`}>Ask an administrator if you need to.</EmptyState>
    </div>
  );
}
