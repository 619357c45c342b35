import type { InvoiceFieldsAllFragment } from "@/gql/graphql";

/** An e-invoice XML shown as a readable invoice where a PDF would be: built from the extracted
 * fields (text nodes only; the XML itself is never put into the page, so nothing in it can run). */
export function InvoiceRendering({ fields, filename }: { fields: InvoiceFieldsAllFragment; filename: string }) {
  const currency = fields.currency ?? "";
  const amount = (value: string | null | undefined) => (value == null || value === "" ? "–" : `${value} ${currency}`.trim());
  return (
    <article
      aria-label={`Invoice rendered from ${filename}`}
      className="rounded-lg border border-slate-200 bg-white p-6 text-sm text-slate-800 shadow-sm"
      data-testid="invoice-rendering"
    >
      <p className="text-xs uppercase tracking-wide text-slate-500">E-invoice (XML) · rendered from its data</p>
      <header className="mt-3 flex flex-wrap items-start justify-between gap-4 border-b border-slate-200 pb-4">
        <div className="min-w-0">
          <h2 className="text-lg font-semibold" data-testid="rendering-seller">
            {fields.vendorName ?? "Unknown seller"}
          </h2>
          {fields.sellerVatId ? <p className="text-xs text-slate-600">VAT id {fields.sellerVatId}</p> : null}
        </div>
        <dl className="grid grid-cols-[auto_auto] gap-x-3 gap-y-0.5 text-right text-xs">
          <dt className="text-slate-500">Invoice</dt>
          <dd className="font-medium" data-testid="rendering-number">
            {fields.invoiceNumber ?? "–"}
          </dd>
          <dt className="text-slate-500">Date</dt>
          <dd>{fields.invoiceDate ?? "–"}</dd>
          <dt className="text-slate-500">Due</dt>
          <dd>{fields.dueDate ?? "–"}</dd>
          {fields.orderReference ? (
            <>
              <dt className="text-slate-500">Order ref.</dt>
              <dd>{fields.orderReference}</dd>
            </>
          ) : null}
        </dl>
      </header>
      <section className="mt-4">
        <h3 className="text-xs uppercase tracking-wide text-slate-500">Bill to</h3>
        <p data-testid="rendering-buyer">{fields.buyerName ?? "–"}</p>
      </section>

      <table className="mt-5 w-full text-left text-sm" data-testid="rendering-lines">
        <caption className="sr-only">Invoice lines</caption>
        <thead className="border-b border-slate-200 text-xs text-slate-500">
          <tr>
            <th scope="col" className="py-1 font-normal">
              Description
            </th>
            <th scope="col" className="py-1 text-right font-normal">
              Qty
            </th>
            <th scope="col" className="py-1 text-right font-normal">
              Unit price
            </th>
            <th scope="col" className="py-1 text-right font-normal">
              Tax %
            </th>
            <th scope="col" className="py-1 text-right font-normal">
              Net
            </th>
          </tr>
        </thead>
        <tbody>
          {fields.lineItems.length === 0 ? (
            <tr>
              <td colSpan={5} className="py-2 text-slate-500">
                The invoice lists no lines.
              </td>
            </tr>
          ) : (
            fields.lineItems.map((line, index) => (
              <tr key={index} className="border-b border-slate-100 align-top" data-testid="rendering-line">
                <td className="py-1 pr-2">{line.description ?? "–"}</td>
                <td className="py-1 text-right tabular-nums">
                  {line.quantity ?? "–"} {line.unit ?? ""}
                </td>
                <td className="py-1 text-right tabular-nums">{line.unitPrice ?? "–"}</td>
                <td className="py-1 text-right tabular-nums">{line.taxRate ?? "–"}</td>
                <td className="py-1 text-right tabular-nums">{amount(line.netAmount)}</td>
              </tr>
            ))
          )}
        </tbody>
      </table>

      <dl className="ml-auto mt-4 grid max-w-xs grid-cols-[1fr_auto] gap-x-4 gap-y-0.5 text-right tabular-nums">
        <dt className="text-slate-500">Net</dt>
        <dd>{amount(fields.netAmount)}</dd>
        {fields.taxBreakdown.map((row, index) => (
          <div key={index} className="contents">
            <dt className="text-slate-500">
              Tax {row.rate ?? "?"} % on {row.netAmount ?? "–"}
            </dt>
            <dd>{amount(row.taxAmount)}</dd>
          </div>
        ))}
        <dt className="text-slate-500">Tax</dt>
        <dd>{amount(fields.taxAmount)}</dd>
        <dt className="font-semibold">Total</dt>
        <dd className="font-semibold" data-testid="rendering-total">
          {amount(fields.totalAmount)}
        </dd>
      </dl>

      {fields.iban || fields.bic || fields.paymentTerms ? (
        <section className="mt-5 border-t border-slate-200 pt-3 text-xs text-slate-600">
          <h3 className="uppercase tracking-wide text-slate-500">Payment</h3>
          {fields.paymentTerms ? <p>{fields.paymentTerms}</p> : null}
          {fields.iban ? <p className="font-mono">IBAN {fields.iban}</p> : null}
          {fields.bic ? <p className="font-mono">BIC {fields.bic}</p> : null}
        </section>
      ) : null}
    </article>
  );
}
