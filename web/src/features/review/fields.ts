/** The invoice fields the reviewer edits, with client-side rules that mirror the API's. */
import type { InvoiceFieldsAllFragment, InvoiceFieldsInput } from "@/gql/graphql";

type AllFields = Omit<InvoiceFieldsAllFragment, "__typename">;
export type ListName = "taxBreakdown" | "lineItems";
export type FieldName = Exclude<keyof AllFields, ListName>;
export type FieldKind = "text" | "date" | "amount" | "currency" | "iban" | "bic" | "vatId" | "decimal" | "rate";

type Column<Row> = { name: keyof Omit<Row, "__typename"> & string; label: string; kind: FieldKind };
export type TaxRowName = Column<AllFields["taxBreakdown"][number]>["name"];
export type LineRowName = Column<AllFields["lineItems"][number]>["name"];

export const FIELDS: { name: FieldName; label: string; kind: FieldKind; hint?: string; limit?: number }[] = [
  { name: "vendorName", label: "Vendor", kind: "text" },
  { name: "invoiceNumber", label: "Invoice number", kind: "text", limit: 100 },
  { name: "invoiceDate", label: "Invoice date", kind: "date" },
  { name: "dueDate", label: "Due date", kind: "date" },
  { name: "netAmount", label: "Net amount", kind: "amount", hint: "e.g. 1028.75" },
  { name: "taxAmount", label: "Tax amount", kind: "amount", hint: "e.g. 205.75" },
  { name: "totalAmount", label: "Total amount", kind: "amount", hint: "e.g. 1234.50" },
  { name: "currency", label: "Currency", kind: "currency", hint: "ISO 4217, e.g. EUR" },
  { name: "status", label: "Payment status", kind: "text", hint: "as printed, e.g. PAID" },
  { name: "sellerVatId", label: "Seller VAT id", kind: "vatId", hint: "e.g. DE123456789" },
  { name: "buyerName", label: "Buyer", kind: "text" },
  { name: "orderReference", label: "Order / buyer reference", kind: "text", limit: 200 },
  { name: "iban", label: "IBAN", kind: "iban", hint: "e.g. DE89 3704 0044 0532 0130 00" },
  { name: "bic", label: "BIC", kind: "bic", hint: "e.g. COBADEFFXXX" },
  { name: "paymentTerms", label: "Payment terms", kind: "text", limit: 1000 },
];

export const TAX_COLUMNS: Column<AllFields["taxBreakdown"][number]>[] = [
  { name: "rate", label: "Rate %", kind: "rate" },
  { name: "netAmount", label: "Net", kind: "amount" },
  { name: "taxAmount", label: "Tax", kind: "amount" },
];

export const LINE_COLUMNS: Column<AllFields["lineItems"][number]>[] = [
  { name: "description", label: "Description", kind: "text" },
  { name: "quantity", label: "Qty", kind: "decimal" },
  { name: "unit", label: "Unit", kind: "text" },
  { name: "unitPrice", label: "Unit price", kind: "decimal" },
  { name: "netAmount", label: "Net", kind: "amount" },
  { name: "taxRate", label: "Tax %", kind: "rate" },
];

/** The API's bounds (api/services/fields.py). */
export const MAX_LINE_ITEMS = 500;
export const MAX_TAX_RATES = 50;

export const FIELD_NAMES = new Set<string>([...FIELDS.map((f) => f.name), "taxBreakdown", "lineItems"]);

export type TaxRow = Record<TaxRowName, string>;
export type LineRow = Record<LineRowName, string>;
export type FormValues = Record<FieldName, string> & { taxBreakdown: TaxRow[]; lineItems: LineRow[] };

export const AMOUNT_RE = /^-?\d+(\.\d{1,2})?$/;
export const DECIMAL_RE = /^-?\d+(\.\d{1,6})?$/;
export const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
export const CURRENCY_RE = /^[A-Z]{3}$/;
export const BIC_RE = /^[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?$/;
export const VAT_ID_RE = /^[A-Z]{2}[0-9A-Z+*]{2,13}$/;

function rowValues<Row extends string>(columns: { name: Row }[], row: Partial<Record<Row, unknown>>): Record<Row, string> {
  const out = {} as Record<Row, string>;
  for (const { name } of columns) out[name] = row[name] == null ? "" : String(row[name]);
  return out;
}

export function emptyTaxRow(): TaxRow {
  return rowValues(TAX_COLUMNS, {});
}

export function emptyLineRow(): LineRow {
  return rowValues(LINE_COLUMNS, {});
}

export function toFormValues(fields: InvoiceFieldsAllFragment | null | undefined): FormValues {
  const out = {} as FormValues;
  for (const { name } of FIELDS) out[name] = fields?.[name] ?? "";
  out.taxBreakdown = (fields?.taxBreakdown ?? []).map((row) => rowValues(TAX_COLUMNS, row));
  out.lineItems = (fields?.lineItems ?? []).map((row) => rowValues(LINE_COLUMNS, row));
  return out;
}

export function isValidIsoDate(value: string): boolean {
  if (!DATE_RE.test(value)) return false;
  const [y, m, d] = value.split("-").map(Number);
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/** Upper case without spaces: how IBAN, BIC and VAT ids are stored. */
export function compact(value: string): string {
  return value.replace(/[\s-]/g, "").toUpperCase();
}

/** ISO 13616: shape and the mod-97 checksum (the API also checks each country's length). */
export function isValidIban(value: string): boolean {
  const iban = compact(value);
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(iban)) return false;
  const digits = (iban.slice(4) + iban.slice(0, 4)).replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55));
  let rest = 0;
  for (const digit of digits) rest = (rest * 10 + Number(digit)) % 97;
  return rest === 1;
}

/** Returns an error message, or true when valid. Empty means "no value" and is always allowed. */
export function validateField(kind: FieldKind, raw: string, limit = 500): true | string {
  const value = raw.trim();
  if (value === "") return true;
  switch (kind) {
    case "amount":
      return AMOUNT_RE.test(value) || "Use a plain number with a dot and at most two decimals, e.g. 1234.50";
    case "decimal":
      return DECIMAL_RE.test(value) || "Use a plain number with a dot and at most six decimals";
    case "rate":
      return (AMOUNT_RE.test(value) && Number(value) >= 0 && Number(value) <= 100) || "A percentage from 0 to 100, e.g. 19";
    case "date":
      return isValidIsoDate(value) || "Use a real calendar date, YYYY-MM-DD";
    case "currency":
      return CURRENCY_RE.test(value) || "Use a three-letter ISO 4217 code in capitals, e.g. EUR";
    case "iban":
      return isValidIban(value) || "Not a valid IBAN (the check digits do not match)";
    case "bic":
      return BIC_RE.test(compact(value)) || "A BIC has 8 or 11 letters and digits, e.g. COBADEFFXXX";
    case "vatId":
      return VAT_ID_RE.test(compact(value)) || "A country prefix and 2 to 13 letters or digits, e.g. DE123456789";
    default:
      return value.length <= limit || `At most ${limit} characters`;
  }
}

function rowsInput<Row extends string>(rows: Record<Row, string>[]): Record<Row, string | null>[] {
  return rows.map((row) => {
    const out = {} as Record<Row, string | null>;
    for (const key of Object.keys(row) as Row[]) out[key] = row[key].trim() === "" ? null : row[key].trim();
    return out;
  });
}

/** Only the fields that differ from the saved values: omitted = unchanged, null = cleared; a
 * changed list is sent whole. */
export function changedFields(values: FormValues, saved: FormValues): InvoiceFieldsInput {
  const input: InvoiceFieldsInput = {};
  for (const { name } of FIELDS) {
    const next = values[name].trim();
    if (next === saved[name].trim()) continue;
    input[name] = next === "" ? null : next;
  }
  const taxBreakdown = rowsInput(values.taxBreakdown);
  if (JSON.stringify(taxBreakdown) !== JSON.stringify(rowsInput(saved.taxBreakdown))) input.taxBreakdown = taxBreakdown;
  const lineItems = rowsInput(values.lineItems);
  if (JSON.stringify(lineItems) !== JSON.stringify(rowsInput(saved.lineItems))) input.lineItems = lineItems;
  return input;
}

/** Cents of a decimal string; null when empty or not a number. Integer arithmetic: no float drift. */
export function cents(value: string | null | undefined): number | null {
  const text = (value ?? "").trim();
  if (!/^-?\d+(\.\d+)?$/.test(text)) return null;
  return Math.round(Number(text) * 100);
}

export type LiveCheck = { name: string; passed: boolean; message: string; fields: string[] };

function money(value: number): string {
  return (value / 100).toFixed(2);
}

/** The sums a reviewer can see hold or not while typing (the API re-runs the same checks on
 * save, api/invoice_checks.py): net + tax = total, Σ tax per rate = tax, Σ lines = net. A check
 * runs only when all of its values are there; the tolerance is one cent per addend. */
export function liveChecks(values: FormValues): LiveCheck[] {
  const checks: LiveCheck[] = [];
  const net = cents(values.netAmount);
  const tax = cents(values.taxAmount);
  const total = cents(values.totalAmount);
  if (net !== null && tax !== null && total !== null) {
    checks.push({
      name: "NET_PLUS_TAX_EQUALS_TOTAL",
      passed: Math.abs(net + tax - total) <= 2,
      message: `net ${money(net)} + tax ${money(tax)} = ${money(net + tax)}, total is ${money(total)}`,
      fields: ["netAmount", "taxAmount", "totalAmount"],
    });
  }
  const sum = (rows: Record<string, string>[], key: string): number | null => {
    if (rows.length === 0) return null;
    let out = 0;
    for (const row of rows) {
      const value = cents(row[key]);
      if (value === null) return null;
      out += value;
    }
    return out;
  };
  const taxRows = values.taxBreakdown ?? [];
  const lineRows = values.lineItems ?? [];
  const rateTax = sum(taxRows, "taxAmount");
  if (rateTax !== null && tax !== null) {
    checks.push({
      name: "TAX_BREAKDOWN_SUMS_TO_TAX",
      passed: Math.abs(rateTax - tax) <= taxRows.length,
      message: `tax per rate sums to ${money(rateTax)}, tax is ${money(tax)}`,
      fields: ["taxBreakdown", "taxAmount"],
    });
  }
  const lines = sum(lineRows, "netAmount");
  if (lines !== null && net !== null) {
    checks.push({
      name: "LINES_SUM_TO_NET",
      passed: Math.abs(lines - net) <= lineRows.length,
      message: `lines sum to ${money(lines)}, net is ${money(net)}`,
      fields: ["lineItems", "netAmount"],
    });
  }
  return checks;
}
