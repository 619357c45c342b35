"use client";

/**
 * What every screen stands in. The sign-in page stands alone; every other screen first needs a
 * session (`SessionProvider`), then gets the nav bar, the live feed and the connection banner, so
 * nothing (not even the WebSocket) talks to the API before someone has signed in.
 */
import { usePathname } from "next/navigation";
import type { ReactNode } from "react";
import { SessionProvider } from "@/lib/auth/session";
import { SIGN_IN_PATH } from "@/lib/auth/redirect";
import { LiveEventsProvider } from "@/lib/live/hooks";
import { ConnectionBanner } from "./ConnectionBanner";
import { NavBar } from "./NavBar";

const MAIN = "mx-auto w-full max-w-7xl px-4 py-6 sm:px-6";

export function AppShell({ children }: { children: ReactNode }) {
  const pathname = usePathname();
  if (pathname === SIGN_IN_PATH) {
    return (
      <main id="main" className={MAIN}>
        {children}
      </main>
    );
  }
  return (
    <SessionProvider>
      <LiveEventsProvider>
        <NavBar />
        <ConnectionBanner />
        <main id="main" className={MAIN}>
          {children}
        </main>
      </LiveEventsProvider>
    </SessionProvider>
  );
}
