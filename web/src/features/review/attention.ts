/**
 * Which fields need a reviewer's attention, and why (pure: unit-tested).
 *
 * A field is marked when a check that involves it failed, when the extractor was less sure of it
 * than the threshold (`reviewSettings.confidenceThreshold`), when it has a value but no evidence
 * in the document, or when it is one of the fields a booking cannot do without and is empty. A
 * value the reviewer typed is vouched for by the reviewer: only failed checks still mark it.
 */
import type { FieldName } from "./fields";

export type Evidence = { field: string; confidence: number; source: string };

export type AttentionKind = "check-failed" | "low-confidence" | "no-evidence" | "missing";
export type Attention = { kind: AttentionKind; text: string };

/** The fields a booking cannot do without. */
export const ESSENTIAL: ReadonlySet<FieldName> = new Set<FieldName>(["vendorName", "invoiceNumber", "invoiceDate", "totalAmount"]);

export function fieldAttention({
  name,
  value,
  extractedValue,
  evidence,
  failedCheck,
  threshold,
}: {
  name: FieldName;
  value: string;
  extractedValue: string;
  evidence: Evidence | undefined;
  failedCheck: string | undefined;
  threshold: number;
}): Attention[] {
  const out: Attention[] = [];
  if (failedCheck) out.push({ kind: "check-failed", text: `Check failed: ${failedCheck}` });
  const typedByReviewer = value.trim() !== extractedValue.trim() || evidence?.source === "reviewer";
  if (typedByReviewer) return out;
  if (!value.trim()) {
    if (ESSENTIAL.has(name)) out.push({ kind: "missing", text: "Missing: not found in the document" });
    return out;
  }
  if (!evidence) {
    out.push({ kind: "no-evidence", text: "No evidence: where this value came from is unknown" });
  } else if (evidence.confidence < threshold) {
    out.push({
      kind: "low-confidence",
      text: `Low confidence: ${Math.round(evidence.confidence * 100)}% (below ${Math.round(threshold * 100)}%)`,
    });
  }
  return out;
}

/** The next field needing attention after `current` in form order, wrapping around. */
export function nextAttention(order: readonly FieldName[], marked: ReadonlySet<FieldName>, current: FieldName | null): FieldName | null {
  if (marked.size === 0) return null;
  const start = current ? order.indexOf(current) : -1;
  for (let step = 1; step <= order.length; step++) {
    const candidate = order[(start + step + order.length) % order.length];
    if (marked.has(candidate)) return candidate;
  }
  return null;
}
