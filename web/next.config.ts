import type { NextConfig } from "next";

/** Headers that do not depend on the request; the Content-Security-Policy (it names the API's
 * origin, known only at run time, and a per-response script nonce) is set by src/proxy.ts. */
const SECURITY_HEADERS = [
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Referrer-Policy", value: "no-referrer" },
  { key: "X-Content-Type-Options", value: "nosniff" },
];

const nextConfig: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // The API origin is read at request time (see src/app/layout.tsx), so one build serves any API.
  async headers() {
    return [{ source: "/:path*", headers: SECURITY_HEADERS }];
  },
};

export default nextConfig;
