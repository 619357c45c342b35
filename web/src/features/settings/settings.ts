/** The settings screen's rules (unit-tested in settings.test.ts). */

/** Most days a token may live from the form (the API has its own limit). */
export const MAX_EXPIRY_DAYS = 3650;

/**
 * The "expires in days" box: empty = never (null); else a whole number 1..MAX_EXPIRY_DAYS.
 * Returns the number, null, or an error message.
 */
export function parseExpiryDays(raw: string): { days: number | null } | { error: string } {
  const text = raw.trim();
  if (text === "") return { days: null };
  if (!/^\d{1,5}$/.test(text)) return { error: "Whole days, e.g. 90 (or leave empty for no expiry)." };
  const days = Number(text);
  if (days < 1 || days > MAX_EXPIRY_DAYS) return { error: `Between 1 and ${MAX_EXPIRY_DAYS} days.` };
  return { days };
}

export type TokenState = "active" | "expired" | "revoked";

export function tokenState(token: { revokedAt?: string | null; expiresAt?: string | null }, now: Date = new Date()): TokenState {
  if (token.revokedAt) return "revoked";
  if (token.expiresAt && new Date(token.expiresAt).getTime() <= now.getTime()) return "expired";
  return "active";
}

/** Passwords the form sends at all (the API decides what is strong enough: WEAK_PASSWORD). */
export const MIN_PASSWORD_LENGTH = 10; // api/auth/secrets.py MIN_PASSWORD_LENGTH
export const MAX_PASSWORD_LENGTH = 1024;
