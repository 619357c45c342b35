"use client";

import { useCan, useMe } from "@/lib/auth/session";
import { roleLabel } from "@/lib/auth/permissions";
import { TokensSection } from "./TokensSection";
import { UsersSection } from "./UsersSection";

/** Settings: the user's own API tokens; for admins also the users. */
export function SettingsScreen() {
  const me = useMe();
  const can = useCan();
  return (
    <div className="space-y-8">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Settings</h1>
        <p className="text-sm text-slate-600">
          Signed in as <span className="font-medium">{me.email}</span> ({roleLabel(me.role)}).
        </p>
      </div>
      <TokensSection />
      {can("admin") ? <UsersSection /> : null}
    </div>
  );
}
