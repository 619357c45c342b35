/**
 * Where an UNAUTHENTICATED answer sends the browser: /signin?next=<where the user was going>.
 * `safeNext` keeps `next` on this site (no open redirect through the sign-in page).
 */
export const SIGN_IN_PATH = "/signin";

/** A same-site path to return to after signing in; anything else becomes "/". */
export function safeNext(raw: string | null | undefined): string {
  if (!raw || raw.length > 2000) return "/";
  // One leading slash, not "//host" or "/\host" (browsers read both as another origin), no
  // scheme, no control characters or backslashes anywhere.
  if (!raw.startsWith("/") || raw.startsWith("//")) return "/";
  if (/[\\\u0000-\u001f\u007f]/.test(raw)) return "/";
  let url: URL;
  try {
    url = new URL(raw, "http://paperlane.invalid");
  } catch {
    return "/";
  }
  if (url.origin !== "http://paperlane.invalid") return "/";
  if (url.pathname === SIGN_IN_PATH || url.pathname.startsWith(`${SIGN_IN_PATH}/`)) return "/";
  return `${url.pathname}${url.search}${url.hash}`;
}

export function signInHref(next: string | null | undefined): string {
  const target = safeNext(next);
  return target === "/" ? SIGN_IN_PATH : `${SIGN_IN_PATH}?next=${encodeURIComponent(target)}`;
}

let redirecting = false;

/**
 * Send the browser to the sign-in page, remembering the current page. A full navigation on
 * purpose: it drops the cached data and the live socket of the session that ended.
 */
export function redirectToSignIn(): void {
  if (typeof window === "undefined" || redirecting) return;
  const { pathname, search } = window.location;
  if (pathname === SIGN_IN_PATH) return;
  redirecting = true;
  window.location.assign(signInHref(`${pathname}${search}`));
}

type ErrorWithCode = { extensions?: unknown };

/** An HTTP 401, or a GraphQL error whose extensions.code is UNAUTHENTICATED. */
export function isUnauthenticated(status: number | null, errors: readonly ErrorWithCode[] = []): boolean {
  if (status === 401) return true;
  return errors.some((e) => {
    const ext = e.extensions;
    return typeof ext === "object" && ext !== null && (ext as { code?: unknown }).code === "UNAUTHENTICATED";
  });
}
