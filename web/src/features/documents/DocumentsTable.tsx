import Link from "next/link";
import type { DocumentListQuery, DocumentSortField } from "@/gql/graphql";
import { EmptyState, ErrorState, Spinner } from "@/components/States";
import { errorMessage } from "@/lib/graphql";
import { DocumentRow } from "./DocumentRow";
import type { DashboardUrlState } from "./url-state";

type Column = { label: string; sort?: DocumentSortField; className: string; thClass?: string };
const COLUMNS: Column[] = [
  { label: "Select", className: "w-10" },
  { label: "File", sort: "FILENAME", className: "w-[24%]" },
  { label: "Vendor", sort: "VENDOR_NAME", className: "w-[17%]" },
  { label: "Total", sort: "TOTAL_AMOUNT", className: "w-[13%]", thClass: "text-right" },
  { label: "Status", sort: "STATUS", className: "w-[7.5rem]" },
  { label: "Progress", className: "w-[20%]" },
  { label: "Uploaded", sort: "UPLOADED_AT", className: "hidden w-[11%] lg:table-column", thClass: "hidden lg:table-cell" },
  { label: "Actions", className: "w-[6.5rem]", thClass: "text-right" },
];

/** The documents table: sortable headers, then loading / error / empty / the rows. */
export function DocumentsTable({
  sort,
  onSort,
  connection,
  pending,
  error,
  onRetry,
  filtered,
  selected,
  onToggle,
  pageSelection = "none",
  onTogglePage,
}: {
  sort: DashboardUrlState["sort"];
  onSort: (field: DocumentSortField) => void;
  connection: DocumentListQuery["documents"] | undefined;
  pending: boolean;
  error: unknown;
  onRetry: () => void;
  /** A search or status filter is set (changes the empty state's wording). */
  filtered: boolean;
  /** Bulk selection: which rows are picked, and how the page as a whole is. */
  selected?: ReadonlySet<string>;
  onToggle?: (id: string) => void;
  pageSelection?: "all" | "some" | "none";
  onTogglePage?: () => void;
}) {
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
      <table className="w-full min-w-[720px] table-fixed text-left text-sm" data-testid="documents-table">
        <caption className="sr-only">Documents</caption>
        <colgroup>
          {COLUMNS.map((c) => (
            <col key={c.label} className={c.className} />
          ))}
        </colgroup>
        <thead className="border-b border-slate-200 bg-slate-50 text-xs uppercase tracking-wide text-slate-600">
          <tr>
            {COLUMNS.map((c) => {
              const active = c.sort === sort.field;
              const ascending = sort.direction === "ASC";
              return (
                <th
                  key={c.label}
                  scope="col"
                  aria-sort={active ? (ascending ? "ascending" : "descending") : undefined}
                  className={`px-3 py-2.5 font-semibold ${c.thClass ?? ""}`}
                >
                  {c.label === "Select" ? (
                    onTogglePage ? (
                      <input
                        type="checkbox"
                        aria-label="Select every document on this page"
                        data-testid="select-page"
                        checked={pageSelection === "all"}
                        ref={(el) => {
                          if (el) el.indeterminate = pageSelection === "some";
                        }}
                        onChange={onTogglePage}
                        className="h-4 w-4"
                      />
                    ) : (
                      <span className="sr-only">Select</span>
                    )
                  ) : c.sort ? (
                    <button
                      type="button"
                      onClick={() => onSort(c.sort as DocumentSortField)}
                      data-testid={`sort-${c.sort}`}
                      aria-label={`Sort by ${c.label}${active ? (ascending ? ", ascending" : ", descending") : ""}`}
                      className="inline-flex items-center gap-1 uppercase hover:text-slate-900"
                    >
                      {c.label}
                      <span aria-hidden="true" className="inline-block w-3 text-center">
                        {active ? (ascending ? "▲" : "▼") : "↕"}
                      </span>
                    </button>
                  ) : (
                    c.label
                  )}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {pending ? (
            <tr>
              <td colSpan={COLUMNS.length} className="px-3 py-10 text-center">
                <Spinner label="Loading documents…" />
              </td>
            </tr>
          ) : error ? (
            <tr>
              <td colSpan={COLUMNS.length} className="p-4">
                <ErrorState title="Could not load documents" message={errorMessage(error)} onRetry={onRetry} />
              </td>
            </tr>
          ) : connection && connection.edges.length === 0 ? (
            <tr>
              <td colSpan={COLUMNS.length} className="p-4">
                <EmptyState title={filtered ? "No documents match these filters" : "No documents yet"}>
                  {filtered ? (
                    "Clear the search or pick another status."
                  ) : (
                    <Link href="/upload" className="font-medium text-indigo-700 underline">
                      Upload your first invoices
                    </Link>
                  )}
                </EmptyState>
              </td>
            </tr>
          ) : (
            connection?.edges.map((edge) => (
              <DocumentRow key={edge.node.id} doc={edge.node} selected={selected?.has(edge.node.id)} onToggle={onToggle} />
            ))
          )}
        </tbody>
      </table>
    </div>
  );
}
