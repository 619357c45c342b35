"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { useState } from "react";
import { useConfig } from "@/lib/config";
import type { Permission } from "@/lib/auth/permissions";
import { roleLabel } from "@/lib/auth/permissions";
import { signOut } from "@/lib/auth/rest";
import { useCan, useMe } from "@/lib/auth/session";

const LINKS: { href: string; label: string; needs: Permission }[] = [
  { href: "/", label: "Dashboard", needs: "read" },
  { href: "/upload", label: "Upload", needs: "upload" },
  { href: "/settings", label: "Settings", needs: "read" },
];

export function NavBar() {
  const pathname = usePathname();
  const config = useConfig();
  const me = useMe();
  const can = useCan();
  const [leaving, setLeaving] = useState(false);
  return (
    <header className="border-b border-slate-200 bg-white">
      <nav aria-label="Main" className="mx-auto flex h-14 w-full max-w-7xl items-center gap-6 px-4 sm:px-6">
        <Link href="/" className="text-lg font-semibold tracking-tight text-indigo-700">
          Paperlane
        </Link>
        <ul className="flex gap-1">
          {LINKS.filter((link) => can(link.needs)).map((link) => {
            const active = link.href === "/" ? pathname === "/" : pathname.startsWith(link.href);
            return (
              <li key={link.href}>
                <Link
                  href={link.href}
                  aria-current={active ? "page" : undefined}
                  data-testid={`nav-${link.label.toLowerCase()}`}
                  className={`rounded-md px-3 py-2 text-sm font-medium ${
                    active ? "bg-indigo-50 text-indigo-700" : "text-slate-600 hover:bg-slate-100 hover:text-slate-900"
                  }`}
                >
                  {link.label}
                </Link>
              </li>
            );
          })}
        </ul>
        <div className="ml-auto flex items-center gap-3 text-sm">
          <span className="hidden min-w-0 text-right sm:block" data-testid="nav-user" data-role={me.role}>
            <span className="block max-w-56 truncate font-medium text-slate-800" title={me.email}>
              {me.email}
            </span>
            <span className="block text-xs text-slate-500">{roleLabel(me.role)}</span>
          </span>
          <button
            type="button"
            data-testid="sign-out"
            disabled={leaving}
            onClick={() => {
              setLeaving(true);
              void signOut(config);
            }}
            className="rounded-md border border-slate-300 bg-white px-3 py-1.5 font-medium text-slate-700 hover:bg-slate-50 disabled:opacity-60"
          >
            {leaving ? "Signing out…" : "Sign out"}
          </button>
        </div>
      </nav>
    </header>
  );
}
