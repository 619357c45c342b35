import { describe, expect, it } from "vitest";
import type { InvoiceFieldsAllFragment } from "@/gql/graphql";
import { changedFields, isValidIban, liveChecks, toFormValues, validateField } from "./fields";
import { failedByField, mergeChecks } from "./ChecksList";

const saved: InvoiceFieldsAllFragment = {
  vendorName: "Datenschutz Nord GmbH",
  invoiceNumber: "RE-1",
  invoiceDate: "2025-03-14",
  dueDate: null,
  totalAmount: "1534.79",
  taxAmount: "234.99",
  currency: "EUR",
  status: null,
  netAmount: "1299.80",
  sellerVatId: "DE123456789",
  buyerName: null,
  iban: "DE89370400440532013000",
  bic: null,
  orderReference: null,
  paymentTerms: null,
  taxBreakdown: [
    { rate: "19.00", netAmount: "1200.00", taxAmount: "228.00" },
    { rate: "7.00", netAmount: "99.80", taxAmount: "6.99" },
  ],
  lineItems: [
    { description: "Beratung", quantity: "10", unit: "HUR", unitPrice: "120.00", netAmount: "1200.00", taxRate: "19.00" },
    { description: "Buch", quantity: "2", unit: null, unitPrice: "49.90", netAmount: "99.80", taxRate: "7.00" },
  ],
};

describe("booking fields", () => {
  it("checks IBANs by their mod-97 digits", () => {
    expect(isValidIban("DE89 3704 0044 0532 0130 00")).toBe(true);
    expect(isValidIban("DE89370400440532013001")).toBe(false);
    expect(validateField("iban", "GB82WEST12345698765432")).toBe(true);
    expect(validateField("iban", "nonsense")).toMatch(/IBAN/);
  });

  it("validates BIC, VAT id, rates and six-decimal quantities", () => {
    expect(validateField("bic", "cobadeffxxx")).toBe(true);
    expect(validateField("bic", "COBA")).toMatch(/BIC/);
    expect(validateField("vatId", "de 123 456 789")).toBe(true);
    expect(validateField("vatId", "123")).not.toBe(true);
    expect(validateField("rate", "19")).toBe(true);
    expect(validateField("rate", "101")).not.toBe(true);
    expect(validateField("decimal", "1.123456")).toBe(true);
    expect(validateField("decimal", "1.1234567")).not.toBe(true);
  });

  it("sends only changed scalars and a changed list whole", () => {
    const base = toFormValues(saved);
    expect(changedFields(base, base)).toEqual({});
    const edited = structuredClone(base);
    edited.buyerName = "Stadt";
    edited.lineItems[1].unit = "Stk";
    expect(changedFields(edited, base)).toEqual({
      buyerName: "Stadt",
      lineItems: [
        { description: "Beratung", quantity: "10", unit: "HUR", unitPrice: "120.00", netAmount: "1200.00", taxRate: "19.00" },
        { description: "Buch", quantity: "2", unit: "Stk", unitPrice: "49.90", netAmount: "99.80", taxRate: "7.00" },
      ],
    });
    edited.taxBreakdown = [];
    expect(changedFields(edited, base).taxBreakdown).toEqual([]);
  });

  it("checks the sums live and marks the fields of a failed check", () => {
    const values = toFormValues(saved);
    expect(liveChecks(values).map((c) => [c.name, c.passed])).toEqual([
      ["NET_PLUS_TAX_EQUALS_TOTAL", true],
      ["TAX_BREAKDOWN_SUMS_TO_TAX", true],
      ["LINES_SUM_TO_NET", true],
    ]);
    values.lineItems[1].netAmount = "98.80";
    const checks = mergeChecks(liveChecks(values), [
      { name: "LINES_SUM_TO_NET", passed: true, message: "saved", fields: ["lineItems"] },
      { name: "BR-CO-15", passed: false, message: "total", fields: ["totalAmount"] },
    ]);
    expect(checks.map((c) => c.name)).toEqual([
      "NET_PLUS_TAX_EQUALS_TOTAL",
      "TAX_BREAKDOWN_SUMS_TO_TAX",
      "LINES_SUM_TO_NET",
      "BR-CO-15",
    ]);
    const failed = failedByField(checks);
    expect(failed.get("lineItems")).toBe("LINES_SUM_TO_NET");
    expect(failed.get("totalAmount")).toBe("BR-CO-15");
    expect(failed.has("taxAmount")).toBe(false);
  });
});
