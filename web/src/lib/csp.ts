/**
 * The web app's Content-Security-Policy, built per request by src/proxy.ts (the API origin is
 * known only at run time: one build serves any API). Scripts: a fresh nonce per response plus
 * 'strict-dynamic' (Next.js puts the nonce on its own inline and chunk scripts), no
 * 'unsafe-inline'. Styles keep 'unsafe-inline': React renders `style` attributes (the evidence
 * box's position) and a style injection cannot run code. connect-src: this origin and the API
 * (http(s) for GraphQL/REST, ws(s) for subscriptions). The PDF.js worker comes from /public
 * (worker-src 'self'); pages render into canvases (img-src blob:/data: for PDF.js images).
 */
export function originOf(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url);
    if (!["http:", "https:", "ws:", "wss:"].includes(parsed.protocol)) return null;
    return parsed.origin;
  } catch {
    return null;
  }
}

export function buildCsp({ nonce, apiUrl, wsUrl, dev }: { nonce: string; apiUrl: string; wsUrl: string; dev: boolean }): string {
  const connect = new Set(["'self'"]);
  for (const origin of [originOf(apiUrl), originOf(wsUrl)]) if (origin) connect.add(origin);
  if (dev) connect.add("ws:"); // next dev's hot reload socket
  const directives = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src ${[...connect].join(" ")}`,
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ];
  return directives.join("; ");
}
