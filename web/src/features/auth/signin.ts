/** Sign-in: the request and how its refusals read (pure parts unit-tested in signin.test.ts). */
import type { RuntimeConfig } from "@/lib/runtime-config";
import { apiJson, type ApiErrorBody } from "@/lib/auth/rest";

export type SignInOutcome =
  | { kind: "ok" }
  | { kind: "invalid" }
  | { kind: "throttled"; retryAfterSeconds: number | null }
  | { kind: "error"; message: string };

/**
 * Seconds to wait after TOO_MANY_ATTEMPTS: the Retry-After header when the API exposes it to the
 * page (CORS), else the "retry in N s" of the message. Only a plain whole number counts.
 */
export function retryAfterSeconds(header: string | null, message: string | null | undefined): number | null {
  const fromHeader = header?.trim();
  if (fromHeader && /^\d{1,7}$/.test(fromHeader)) return Number(fromHeader);
  const match = message ? /retry in (\d{1,7}) ?s\b/i.exec(message) : null;
  return match ? Number(match[1]) : null;
}

/** "in 45 seconds" / "in 3 minutes" / "in a moment". */
export function describeWait(seconds: number | null): string {
  if (seconds === null || seconds <= 0) return "in a moment";
  if (seconds < 90) return `in ${seconds} second${seconds === 1 ? "" : "s"}`;
  const minutes = Math.ceil(seconds / 60);
  return `in ${minutes} minutes`;
}

export function outcomeOf(status: number, body: ApiErrorBody | null, retryAfterHeader: string | null): SignInOutcome {
  if (status >= 200 && status < 300) return { kind: "ok" };
  const code = body?.error?.code;
  if (status === 401 || code === "INVALID_CREDENTIALS") return { kind: "invalid" };
  if (status === 429 || code === "TOO_MANY_ATTEMPTS") {
    return { kind: "throttled", retryAfterSeconds: retryAfterSeconds(retryAfterHeader, body?.error?.message) };
  }
  return { kind: "error", message: body?.error?.message ?? `The API answered ${status}.` };
}

export async function signIn(config: RuntimeConfig, email: string, password: string): Promise<SignInOutcome> {
  const answer = await apiJson<ApiErrorBody>(config, "/api/auth/login", { method: "POST", json: { email, password } });
  if (!answer) return { kind: "error", message: `Cannot reach the API at ${config.apiUrl}.` };
  return outcomeOf(answer.status, answer.body, answer.headers.get("Retry-After"));
}

/** Whether the browser already has a session (GET /api/auth/me answers 200). */
export async function hasSession(config: RuntimeConfig): Promise<boolean> {
  const answer = await apiJson(config, "/api/auth/me", { method: "GET" });
  return answer?.status === 200;
}
