import type { Metadata, Viewport } from "next";
import { connection } from "next/server";
import type { ReactNode } from "react";
import { AppShell } from "@/components/AppShell";
import { resolveConfig } from "@/lib/runtime-config";
import { Providers } from "./providers";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Paperlane", template: "%s · Paperlane" },
  description: "Upload invoices, watch them being processed, review and export the fields.",
};

export const viewport: Viewport = { width: "device-width", initialScale: 1 };

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Read the API location per request (not inlined at build time), so one build serves any API.
  await connection();
  const env = process.env;
  const config = resolveConfig(
    env["NEXT_PUBLIC_API_URL"] ?? process.env.NEXT_PUBLIC_API_URL,
    env["NEXT_PUBLIC_WS_URL"] ?? process.env.NEXT_PUBLIC_WS_URL,
  );
  return (
    <html lang="en">
      <body className="min-h-screen font-sans">
        <Providers config={config}>
          <a
            href="#main"
            className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2"
          >
            Skip to content
          </a>
          <AppShell>{children}</AppShell>
        </Providers>
      </body>
    </html>
  );
}
