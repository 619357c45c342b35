/** The invoice fields the reviewer edits, with client-side rules that mirror the API's. */
import type { InvoiceFieldsAllFragment, InvoiceFieldsInput } from "@/gql/graphql";

export type FieldName = keyof Omit<InvoiceFieldsAllFragment, "__typename">;
export type FieldKind = "text" | "date" | "amount" | "currency";

export const FIELDS: { name: FieldName; label: string; kind: FieldKind; hint?: string }[] = [
  { name: "vendorName", label: "Vendor", kind: "text" },
  { name: "invoiceNumber", label: "Invoice number", kind: "text" },
  { name: "invoiceDate", label: "Invoice date", kind: "date" },
  { name: "dueDate", label: "Due date", kind: "date" },
  { name: "totalAmount", label: "Total amount", kind: "amount", hint: "e.g. 1234.50" },
  { name: "taxAmount", label: "Tax amount", kind: "amount", hint: "e.g. 205.75" },
  { name: "currency", label: "Currency", kind: "currency", hint: "ISO 4217, e.g. EUR" },
  { name: "status", label: "Payment status", kind: "text", hint: "as printed, e.g. PAID" },
];

export const FIELD_NAMES = new Set<string>(FIELDS.map((f) => f.name));

export type FormValues = Record<FieldName, string>;

export const AMOUNT_RE = /^-?\d+(\.\d{1,2})?$/;
export const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
export const CURRENCY_RE = /^[A-Z]{3}$/;

export function toFormValues(fields: InvoiceFieldsAllFragment | null | undefined): FormValues {
  const out = {} as FormValues;
  for (const { name } of FIELDS) out[name] = fields?.[name] ?? "";
  return out;
}

export function isValidIsoDate(value: string): boolean {
  if (!DATE_RE.test(value)) return false;
  const [y, m, d] = value.split("-").map(Number);
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/** Returns an error message, or true when valid. Empty means "no value" and is always allowed. */
export function validateField(kind: FieldKind, raw: string): true | string {
  const value = raw.trim();
  if (value === "") return true;
  switch (kind) {
    case "amount":
      return AMOUNT_RE.test(value) || "Use a plain number with a dot and at most two decimals, e.g. 1234.50";
    case "date":
      return isValidIsoDate(value) || "Use a real calendar date, YYYY-MM-DD";
    case "currency":
      return CURRENCY_RE.test(value) || "Use a three-letter ISO 4217 code in capitals, e.g. EUR";
    default:
      return value.length <= 500 || "At most 500 characters";
  }
}

/** Only the fields that differ from the saved values: omitted = unchanged, null = cleared. */
export function changedFields(values: FormValues, saved: FormValues): InvoiceFieldsInput {
  const input: InvoiceFieldsInput = {};
  for (const { name } of FIELDS) {
    const next = values[name].trim();
    if (next === saved[name].trim()) continue;
    input[name] = next === "" ? null : next;
  }
  return input;
}
