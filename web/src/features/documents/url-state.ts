/**
 * The dashboard's state in the URL, one place: search (`q`), status filter (`status`), sort
 * (`sort`, `dir`) and the page (`after`, repeated: the cursors of the pages walked through, so
 * "Previous" and a reload both work). Components read and change it only through
 * `useDashboardUrlState()`; parsing and writing are pure functions (url-state.test.ts).
 *
 * Defaults are left out of the URL (newest first, no filter, first page). Any change of search,
 * filter or sort goes back to the first page. Unknown parameters are kept as they are.
 */
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useMemo } from "react";
import type {
  DocumentListQueryVariables,
  DocumentSortField,
  DocumentStatus,
  SortDirection,
} from "@/gql/graphql";

export const PAGE_SIZE = 20;
export const STATUSES: readonly DocumentStatus[] = [
  "QUEUED",
  "PROCESSING",
  "COMPLETED",
  "FAILED",
  "CANCELLED",
  "FINALIZED",
];
export const SORT_FIELDS: readonly DocumentSortField[] = [
  "UPLOADED_AT",
  "FILENAME",
  "STATUS",
  "FILE_SIZE",
  "INVOICE_DATE",
  "TOTAL_AMOUNT",
  "VENDOR_NAME",
];
const DEFAULT_SORT = { field: "UPLOADED_AT", direction: "DESC" } as const;
const KEYS = ["q", "status", "sort", "dir", "after"] as const;

export type DashboardUrlState = {
  search: string;
  status: DocumentStatus | null;
  sort: { field: DocumentSortField; direction: SortDirection };
  /** Cursors of the pages walked through; empty on the first page, the last one is this page's `after`. */
  cursors: string[];
};

/** Reads the state from the query string; anything unknown or malformed falls back to the default. */
export function parseDashboardUrl(params: URLSearchParams): DashboardUrlState {
  const status = params.get("status");
  const field = params.get("sort");
  return {
    search: (params.get("q") ?? "").trim(),
    status: status && (STATUSES as string[]).includes(status) ? (status as DocumentStatus) : null,
    sort: {
      field: field && (SORT_FIELDS as string[]).includes(field) ? (field as DocumentSortField) : DEFAULT_SORT.field,
      direction: params.get("dir") === "ASC" ? "ASC" : "DESC",
    },
    cursors: params.getAll("after").filter((c) => c !== ""),
  };
}

/** The query string (without `?`) for `state`, keeping `current`'s parameters that are not ours. */
export function writeDashboardUrl(state: DashboardUrlState, current = new URLSearchParams()): string {
  const next = new URLSearchParams(current.toString());
  for (const key of KEYS) next.delete(key);
  if (state.search) next.set("q", state.search);
  if (state.status) next.set("status", state.status);
  if (state.sort.field !== DEFAULT_SORT.field || state.sort.direction !== DEFAULT_SORT.direction) {
    next.set("sort", state.sort.field);
  }
  if (state.sort.direction !== DEFAULT_SORT.direction) next.set("dir", state.sort.direction);
  for (const cursor of state.cursors) next.append("after", cursor);
  return next.toString();
}

/**
 * Clicking a column: the active column flips direction; another column starts ascending, except
 * the upload date, which starts newest first.
 */
export function toggledSort(current: DashboardUrlState["sort"], field: DocumentSortField): DashboardUrlState["sort"] {
  if (field === current.field) return { field, direction: current.direction === "ASC" ? "DESC" : "ASC" };
  return { field, direction: field === "UPLOADED_AT" ? "DESC" : "ASC" };
}

/** The `documents` query's variables for this state. */
export function listVariables(state: DashboardUrlState): DocumentListQueryVariables {
  return {
    search: state.search || null,
    filter: state.status ? { status: [state.status] } : null,
    sort: state.sort,
    first: PAGE_SIZE,
    after: state.cursors.at(-1) ?? null,
  };
}

/** The bulk export's query string (`?search=…&status=…`, or empty): the same documents as the filters. */
export function exportQuery(state: DashboardUrlState): string {
  const query = new URLSearchParams();
  if (state.search) query.set("search", state.search);
  if (state.status) query.append("status", state.status);
  const text = query.toString();
  return text ? `?${text}` : "";
}

export type DashboardUrlActions = {
  setSearch: (search: string) => void;
  setStatus: (status: DocumentStatus | null) => void;
  toggleSort: (field: DocumentSortField) => void;
  nextPage: (cursor: string) => void;
  previousPage: () => void;
};

/** The state changes the dashboard makes, each written with `navigate(queryString)`. */
export function dashboardUrlActions(
  state: DashboardUrlState,
  navigate: (query: string) => void,
  current?: URLSearchParams,
): DashboardUrlActions {
  const go = (next: DashboardUrlState) => navigate(writeDashboardUrl(next, current));
  const firstPage = { ...state, cursors: [] };
  return {
    setSearch: (search) => {
      if (search.trim() !== state.search) go({ ...firstPage, search: search.trim() });
    },
    setStatus: (status) => go({ ...firstPage, status }),
    toggleSort: (field) => go({ ...firstPage, sort: toggledSort(state.sort, field) }),
    nextPage: (cursor) => go({ ...state, cursors: [...state.cursors, cursor] }),
    previousPage: () => go({ ...state, cursors: state.cursors.slice(0, -1) }),
  };
}

/** The dashboard's URL state and the actions that change it (router.replace, no scroll jump). */
export function useDashboardUrlState(): DashboardUrlState & DashboardUrlActions {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  return useMemo(() => {
    const current = new URLSearchParams(params.toString());
    const state = parseDashboardUrl(current);
    const navigate = (query: string) => router.replace(query ? `${pathname}?${query}` : pathname, { scroll: false });
    return { ...state, ...dashboardUrlActions(state, navigate, current) };
  }, [params, router, pathname]);
}
