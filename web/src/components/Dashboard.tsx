"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useEffect, useMemo, useState } from "react";
import type {
  DocumentListQueryVariables,
  DocumentSortField,
  DocumentStatus,
  SortDirection,
} from "@/gql/graphql";
import { useConfig } from "@/lib/config";
import { errorMessage, gqlRequest } from "@/lib/graphql";
import { useLiveListFetcher } from "@/lib/live";
import { queryKeys } from "@/lib/live-cache";
import { DocumentCountsQuery, DocumentListQuery } from "@/lib/operations";
import { DocumentRow } from "./DocumentRow";
import { EmptyState, ErrorState, Spinner } from "./States";
import { STATUS_LABELS } from "./StatusBadge";

const PAGE_SIZE = 20;
const STATUSES: DocumentStatus[] = ["QUEUED", "PROCESSING", "COMPLETED", "FAILED", "CANCELLED", "FINALIZED"];
const SORT_FIELDS: DocumentSortField[] = [
  "UPLOADED_AT",
  "FILENAME",
  "STATUS",
  "FILE_SIZE",
  "INVOICE_DATE",
  "TOTAL_AMOUNT",
  "VENDOR_NAME",
];

function parseStatus(value: string | null): DocumentStatus | null {
  return value && (STATUSES as string[]).includes(value) ? (value as DocumentStatus) : null;
}
function parseSort(value: string | null): DocumentSortField {
  return value && (SORT_FIELDS as string[]).includes(value) ? (value as DocumentSortField) : "UPLOADED_AT";
}

type Column = { label: string; sort?: DocumentSortField; className: string; thClass?: string };
const COLUMNS: Column[] = [
  { label: "File", sort: "FILENAME", className: "w-[26%]" },
  { label: "Vendor", sort: "VENDOR_NAME", className: "w-[17%]" },
  { label: "Total", sort: "TOTAL_AMOUNT", className: "w-[13%]", thClass: "text-right" },
  { label: "Status", sort: "STATUS", className: "w-[7.5rem]" },
  { label: "Progress", className: "w-[20%]" },
  { label: "Uploaded", sort: "UPLOADED_AT", className: "hidden w-[11%] lg:table-column", thClass: "hidden lg:table-cell" },
  { label: "Actions", className: "w-[6.5rem]", thClass: "text-right" },
];

export function Dashboard() {
  const config = useConfig();
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const fetchLive = useLiveListFetcher();

  const search = params.get("q") ?? "";
  const status = parseStatus(params.get("status"));
  const sortField = parseSort(params.get("sort"));
  const sortDirection: SortDirection = params.get("dir") === "ASC" ? "ASC" : "DESC";

  const [searchInput, setSearchInput] = useState(search);
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const after = cursors[cursors.length - 1];

  const updateParams = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(params.toString());
    for (const [key, value] of Object.entries(changes)) {
      if (value === null || value === "") next.delete(key);
      else next.set(key, value);
    }
    setCursors([null]);
    const query = next.toString();
    router.replace(query ? `${pathname}?${query}` : pathname, { scroll: false });
  };

  // Debounced search: the URL (and so the query) follows the box 300 ms after typing stops.
  useEffect(() => {
    if (searchInput.trim() === search) return;
    const timer = setTimeout(() => {
      const next = new URLSearchParams(params.toString());
      if (searchInput.trim()) next.set("q", searchInput.trim());
      else next.delete("q");
      setCursors([null]);
      const query = next.toString();
      router.replace(query ? `${pathname}?${query}` : pathname, { scroll: false });
    }, 300);
    return () => clearTimeout(timer);
  }, [searchInput, search, params, pathname, router]);

  const variables: DocumentListQueryVariables = useMemo(
    () => ({
      search: search || null,
      filter: status ? { status: [status] } : null,
      sort: { field: sortField, direction: sortDirection },
      first: PAGE_SIZE,
      after,
    }),
    [search, status, sortField, sortDirection, after],
  );

  const list = useQuery({
    queryKey: queryKeys.documents(variables),
    queryFn: () => fetchLive(() => gqlRequest(config, DocumentListQuery, variables)),
    placeholderData: keepPreviousData,
  });
  const counts = useQuery({
    queryKey: queryKeys.counts,
    queryFn: () => gqlRequest(config, DocumentCountsQuery),
  });

  const countOf = (s: DocumentStatus) => counts.data?.documentCounts.find((c) => c.status === s)?.count ?? 0;
  const total = counts.data?.documentCounts.reduce((sum, c) => sum + c.count, 0) ?? 0;

  const exportQuery = new URLSearchParams();
  if (search) exportQuery.set("search", search);
  if (status) exportQuery.append("status", status);
  const exportSuffix = exportQuery.toString() ? `?${exportQuery.toString()}` : "";

  const toggleSort = (field: DocumentSortField) => {
    const dir: SortDirection = field === sortField ? (sortDirection === "ASC" ? "DESC" : "ASC") : field === "UPLOADED_AT" ? "DESC" : "ASC";
    updateParams({ sort: field === "UPLOADED_AT" && dir === "DESC" ? null : field, dir: dir === "DESC" ? null : dir });
  };

  const connection = list.data?.documents;
  const firstIndex = (cursors.length - 1) * PAGE_SIZE;

  return (
    <div className="space-y-5">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">Documents</h1>
          <p className="text-sm text-slate-600">Every upload, its processing progress and its extracted fields, live.</p>
        </div>
        <div className="flex flex-wrap items-center gap-2">
          <span className="text-sm text-slate-600" id="export-label">
            Export finalized:
          </span>
          <a
            href={`${config.apiUrl}/api/exports/documents.csv${exportSuffix}`}
            data-testid="export-csv"
            aria-describedby="export-label"
            className="rounded-md border border-slate-300 bg-white px-3 py-2 text-sm font-medium hover:bg-slate-50"
          >
            CSV
          </a>
          <a
            href={`${config.apiUrl}/api/exports/documents.json${exportSuffix}`}
            data-testid="export-json"
            aria-describedby="export-label"
            className="rounded-md border border-slate-300 bg-white px-3 py-2 text-sm font-medium hover:bg-slate-50"
          >
            JSON
          </a>
          <Link
            href="/upload"
            className="rounded-md bg-indigo-600 px-3 py-2 text-sm font-medium text-white hover:bg-indigo-700"
            data-testid="go-upload"
          >
            Upload PDFs
          </Link>
        </div>
      </div>

      <div className="flex flex-col gap-3 lg:flex-row lg:items-center">
        <div className="w-full lg:w-80">
          <label htmlFor="search" className="sr-only">
            Search documents
          </label>
          <input
            id="search"
            type="search"
            value={searchInput}
            onChange={(event) => setSearchInput(event.target.value)}
            placeholder="Search filename, vendor, invoice number, text…"
            data-testid="search-input"
            className="w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm placeholder:text-slate-400"
          />
        </div>
        <div role="group" aria-label="Filter by status" className="flex flex-wrap gap-1.5" data-testid="status-filter">
          <FilterButton active={status === null} onClick={() => updateParams({ status: null })} testId="filter-ALL">
            All <Count value={counts.data ? total : null} />
          </FilterButton>
          {STATUSES.map((s) => (
            <FilterButton key={s} active={status === s} onClick={() => updateParams({ status: s })} testId={`filter-${s}`}>
              {STATUS_LABELS[s]} <Count value={counts.data ? countOf(s) : null} />
            </FilterButton>
          ))}
        </div>
      </div>

      {counts.isError ? (
        <p className="text-sm text-rose-700" role="alert">
          Status counts unavailable: {errorMessage(counts.error)}
        </p>
      ) : null}

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
                const active = c.sort === sortField;
                return (
                  <th
                    key={c.label}
                    scope="col"
                    aria-sort={active ? (sortDirection === "ASC" ? "ascending" : "descending") : undefined}
                    className={`px-3 py-2.5 font-semibold ${c.thClass ?? ""}`}
                  >
                    {c.sort ? (
                      <button
                        type="button"
                        onClick={() => toggleSort(c.sort as DocumentSortField)}
                        data-testid={`sort-${c.sort}`}
                        aria-label={`Sort by ${c.label}${active ? (sortDirection === "ASC" ? ", ascending" : ", descending") : ""}`}
                        className="inline-flex items-center gap-1 uppercase hover:text-slate-900"
                      >
                        {c.label}
                        <span aria-hidden="true" className="inline-block w-3 text-center">
                          {active ? (sortDirection === "ASC" ? "▲" : "▼") : "↕"}
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
            {list.isPending ? (
              <tr>
                <td colSpan={COLUMNS.length} className="px-3 py-10 text-center">
                  <Spinner label="Loading documents…" />
                </td>
              </tr>
            ) : list.isError ? (
              <tr>
                <td colSpan={COLUMNS.length} className="p-4">
                  <ErrorState
                    title="Could not load documents"
                    message={errorMessage(list.error)}
                    onRetry={() => void list.refetch()}
                  />
                </td>
              </tr>
            ) : connection && connection.edges.length === 0 ? (
              <tr>
                <td colSpan={COLUMNS.length} className="p-4">
                  <EmptyState title={search || status ? "No documents match these filters" : "No documents yet"}>
                    {search || status ? (
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
              connection?.edges.map((edge) => <DocumentRow key={edge.node.id} doc={edge.node} />)
            )}
          </tbody>
        </table>
      </div>

      <nav aria-label="Pagination" className="flex items-center justify-between gap-3 text-sm text-slate-600">
        <p className="tabular-nums" data-testid="page-summary">
          {connection && connection.totalCount > 0
            ? `${firstIndex + 1}–${firstIndex + connection.edges.length} of ${connection.totalCount}`
            : "\u00a0"}
          {list.isFetching && !list.isPending ? <span className="ml-2 text-slate-400">Updating…</span> : null}
        </p>
        <div className="flex gap-2">
          <button
            type="button"
            disabled={cursors.length <= 1}
            onClick={() => setCursors((c) => c.slice(0, -1))}
            data-testid="page-prev"
            className="rounded-md border border-slate-300 bg-white px-3 py-1.5 font-medium disabled:opacity-40"
          >
            Previous
          </button>
          <button
            type="button"
            disabled={!connection?.pageInfo.hasNextPage || !connection.pageInfo.endCursor}
            onClick={() => {
              const next = connection?.pageInfo.endCursor;
              if (next) setCursors((c) => [...c, next]);
            }}
            data-testid="page-next"
            className="rounded-md border border-slate-300 bg-white px-3 py-1.5 font-medium disabled:opacity-40"
          >
            Next
          </button>
        </div>
      </nav>
    </div>
  );
}

function Count({ value }: { value: number | null }) {
  return (
    <span className="ml-1 inline-block min-w-[2ch] rounded bg-black/5 px-1 text-center text-xs tabular-nums" data-testid="status-count">
      {value ?? "·"}
    </span>
  );
}

function FilterButton({
  active,
  onClick,
  testId,
  children,
}: {
  active: boolean;
  onClick: () => void;
  testId: string;
  children: React.ReactNode;
}) {
  return (
    <button
      type="button"
      aria-pressed={active}
      onClick={onClick}
      data-testid={testId}
      className={`rounded-full border px-3 py-1 text-sm font-medium ${
        active ? "border-indigo-600 bg-indigo-600 text-white" : "border-slate-300 bg-white text-slate-700 hover:bg-slate-50"
      }`}
    >
      {children}
    </button>
  );
}
