/** The sign-in REST calls (`/api/auth/*`): JSON bodies, the session cookie sent and received. */
import type { RuntimeConfig } from "@/lib/runtime-config";
import { SIGN_IN_PATH } from "./redirect";

export type ApiErrorBody = { error?: { code?: string; message?: string; field?: string | null } };

export type RestAnswer<T> = { status: number; body: T | null; headers: Headers };

/** A JSON request to the API with the session cookie; null when the API cannot be reached. */
export async function apiJson<T>(
  config: RuntimeConfig,
  path: string,
  init: { method: "GET" | "POST"; json?: unknown },
): Promise<RestAnswer<T> | null> {
  let response: Response;
  try {
    response = await fetch(`${config.apiUrl}${path}`, {
      method: init.method,
      credentials: "include",
      headers: init.json === undefined ? { Accept: "application/json" } : { "Content-Type": "application/json", Accept: "application/json" },
      body: init.json === undefined ? undefined : JSON.stringify(init.json),
    });
  } catch {
    return null;
  }
  let body: T | null = null;
  try {
    body = (await response.json()) as T;
  } catch {
    body = null;
  }
  return { status: response.status, body, headers: response.headers };
}

/** Revoke the session (POST /api/auth/logout) and land on the sign-in page whatever it answered. */
export async function signOut(config: RuntimeConfig): Promise<void> {
  await apiJson(config, "/api/auth/logout", { method: "POST" });
  window.location.assign(SIGN_IN_PATH);
}
