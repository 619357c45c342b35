/**
 * Security headers for every page (Next.js proxy, run per request): the CSP with a fresh script
 * nonce (see lib/csp.ts). The static headers (X-Frame-Options, Referrer-Policy, nosniff) are in
 * next.config.ts and cover static files too.
 */
import { NextResponse, type NextRequest } from "next/server";
import { buildCsp } from "@/lib/csp";
import { resolveConfig } from "@/lib/runtime-config";

export function proxy(request: NextRequest) {
  const nonce = Buffer.from(crypto.randomUUID()).toString("base64");
  // Bracket access: read at run time, not inlined at build time (as in app/layout.tsx).
  const env = process.env;
  const config = resolveConfig(env["NEXT_PUBLIC_API_URL"], env["NEXT_PUBLIC_WS_URL"]);
  const csp = buildCsp({ nonce, apiUrl: config.apiUrl, wsUrl: config.wsUrl, dev: env["NODE_ENV"] === "development" });
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("Content-Security-Policy", csp); // Next.js reads the nonce from here
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("Content-Security-Policy", csp);
  return response;
}

export const config = {
  matcher: [
    {
      source: "/((?!_next/static|_next/image|favicon.ico|icon.svg|pdf.worker.min.mjs).*)",
      missing: [
        { type: "header", key: "next-router-prefetch" },
        { type: "header", key: "purpose", value: "prefetch" },
      ],
    },
  ],
};
