import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // The API origin is read at request time (see src/app/layout.tsx), so one build serves any API.
};

export default nextConfig;
