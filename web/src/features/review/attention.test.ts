import { describe, expect, it } from "vitest";
import { fieldAttention, nextAttention } from "./attention";

const base = { name: "totalAmount" as const, value: "119.00", extractedValue: "119.00", failedCheck: undefined, threshold: 0.8 };

describe("fieldAttention", () => {
  it("marks low confidence, but not at or above the threshold", () => {
    expect(fieldAttention({ ...base, evidence: { field: "totalAmount", confidence: 0.62, source: "text" } })).toEqual([
      { kind: "low-confidence", text: "Low confidence: 62% (below 80%)" },
    ]);
    expect(fieldAttention({ ...base, evidence: { field: "totalAmount", confidence: 0.8, source: "text" } })).toEqual([]);
  });

  it("marks a value without evidence and an essential field that is empty", () => {
    expect(fieldAttention({ ...base, evidence: undefined }).map((a) => a.kind)).toEqual(["no-evidence"]);
    expect(fieldAttention({ ...base, value: "", extractedValue: "", evidence: undefined }).map((a) => a.kind)).toEqual(["missing"]);
    expect(fieldAttention({ ...base, name: "iban", value: "", extractedValue: "", evidence: undefined })).toEqual([]);
  });

  it("keeps a failed check even on a value the reviewer typed, and nothing else", () => {
    const typed = { ...base, value: "120.00", evidence: { field: "totalAmount", confidence: 0.1, source: "text" } };
    expect(fieldAttention(typed)).toEqual([]);
    expect(fieldAttention({ ...typed, failedCheck: "NET_PLUS_TAX_EQUALS_TOTAL" }).map((a) => a.kind)).toEqual(["check-failed"]);
  });
});

describe("nextAttention", () => {
  const order = ["vendorName", "invoiceNumber", "invoiceDate", "totalAmount"] as const;
  it("walks forward and wraps around", () => {
    const marked = new Set(["invoiceNumber", "totalAmount"] as const);
    expect(nextAttention(order, marked, null)).toBe("invoiceNumber");
    expect(nextAttention(order, marked, "invoiceNumber")).toBe("totalAmount");
    expect(nextAttention(order, marked, "totalAmount")).toBe("invoiceNumber");
    expect(nextAttention(order, new Set(), "vendorName")).toBeNull();
  });
});
