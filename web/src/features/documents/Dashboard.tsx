"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useCallback, useMemo, useState } from "react";
import { useQueueNavigation } from "@/lib/review-queue";
import { useConfig } from "@/lib/config";
import { errorMessage, gqlRequest } from "@/lib/graphql";
import { useLiveListFetcher, useReviewQueueLength } from "@/lib/live/hooks";
import { queryKeys } from "@/lib/query-keys";
import { BulkBar } from "./BulkBar";
import { DocumentsTable } from "./DocumentsTable";
import { EMPTY_SELECTION, pageState, toggleOne, togglePage, without, type Selection } from "./selection";
import { ExportLinks } from "./ExportLinks";
import { DocumentCountsQuery, DocumentListQuery } from "./operations";
import { Pagination } from "./Pagination";
import { SearchBox } from "./SearchBox";
import { StatusFilter } from "./StatusFilter";
import { exportQuery, listVariables, PAGE_SIZE, useDashboardUrlState } from "./url-state";

/** The dashboard: search, status filter with counts, sortable table, cursor pages, bulk export. */
export function Dashboard() {
  const config = useConfig();
  const fetchLive = useLiveListFetcher();
  const url = useDashboardUrlState();
  const { search, status, sort, cursors } = url;

  const variables = useMemo(() => listVariables({ search, status, sort, cursors }), [search, status, sort, cursors]);
  const list = useQuery({
    queryKey: queryKeys.documents(variables),
    queryFn: () => fetchLive(() => gqlRequest(config, DocumentListQuery, variables)),
    placeholderData: keepPreviousData,
  });
  const counts = useQuery({
    queryKey: queryKeys.counts,
    queryFn: () => gqlRequest(config, DocumentCountsQuery),
  });

  const connection = list.data?.documents;
  // Live from the server; until it has said, the COMPLETED count (the same documents).
  const liveQueueLength = useReviewQueueLength();
  const queueLength = liveQueueLength ?? counts.data?.documentCounts.find((c) => c.status === "COMPLETED")?.count ?? null;
  const queue = useQueueNavigation();

  // The selection belongs to one search and filter: changing them starts afresh.
  const filterKey = `${search}\u0000${status ?? ""}`;
  const [picked, setPicked] = useState<{ key: string; selection: Selection }>({ key: filterKey, selection: EMPTY_SELECTION });
  const selection = picked.key === filterKey ? picked.selection : EMPTY_SELECTION;
  const setSelection = useCallback(
    (update: Selection | ((current: Selection) => Selection)) =>
      setPicked((p) => {
        const current = p.key === filterKey ? p.selection : EMPTY_SELECTION;
        return { key: filterKey, selection: typeof update === "function" ? update(current) : update };
      }),
    [filterKey],
  );
  const pageIds = useMemo(() => connection?.edges.map((e) => e.node.id) ?? [], [connection]);
  const onToggle = useCallback((id: string) => setSelection((s) => toggleOne(s, id)), [setSelection]);
  const names = useMemo(() => new Map(connection?.edges.map((e) => [e.node.id, e.node.originalFilename]) ?? []), [connection]);

  return (
    <div className="space-y-5">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">Documents</h1>
          <p className="text-sm text-slate-600">Every upload, its processing progress and its extracted fields, live.</p>
        </div>
        <div className="flex flex-wrap items-center gap-2">
          <ExportLinks state={url} />
          <Link
            href="/upload"
            className="rounded-md bg-indigo-600 px-3 py-2 text-sm font-medium text-white hover:bg-indigo-700"
            data-testid="go-upload"
          >
            Upload PDFs
          </Link>
        </div>
      </div>

      <section aria-label="Review queue" className="flex flex-wrap items-center gap-3 rounded-lg border border-slate-200 bg-white p-3">
        <p className="text-sm text-slate-700">
          <span className="text-lg font-semibold tabular-nums text-slate-900" data-testid="queue-length" data-count={queueLength ?? ""}>
            {queueLength ?? "…"}
          </span>{" "}
          waiting for review
        </p>
        <button
          type="button"
          onClick={() => void queue.go("next")}
          disabled={queue.busy || !queueLength}
          data-testid="review-next"
          className="rounded-md bg-indigo-600 px-3 py-2 text-sm font-medium text-white hover:bg-indigo-700 disabled:opacity-50"
        >
          Review next
        </button>
        <p role="status" className="text-sm text-slate-600">
          {queue.message ?? ""}
        </p>
      </section>

      <div className="flex flex-col gap-3 lg:flex-row lg:items-center">
        <SearchBox value={search} onSearch={url.setSearch} />
        <StatusFilter status={status} counts={counts.data} onChange={url.setStatus} />
      </div>

      {counts.isError ? (
        <p className="text-sm text-rose-700" role="alert">
          Status counts unavailable: {errorMessage(counts.error)}
        </p>
      ) : null}

      <BulkBar
        selection={selection}
        pageCount={pageIds.length}
        totalCount={connection?.totalCount ?? null}
        list={variables}
        filterExportQuery={exportQuery(url)}
        names={names}
        onSelectAllMatching={() => setSelection({ ids: new Set(pageIds), allMatching: true })}
        onClear={() => setSelection(EMPTY_SELECTION)}
        onDone={(ids) => setSelection((s) => without(s, ids))}
      />

      <DocumentsTable
        selected={selection.allMatching ? new Set(pageIds) : selection.ids}
        onToggle={onToggle}
        pageSelection={pageState(selection, pageIds)}
        onTogglePage={() => setSelection((s) => togglePage(s, pageIds))}
        sort={sort}
        onSort={url.toggleSort}
        connection={connection}
        pending={list.isPending}
        error={list.isError ? list.error : null}
        onRetry={() => void list.refetch()}
        filtered={!!(search || status)}
      />

      <Pagination
        firstIndex={cursors.length * PAGE_SIZE}
        shown={connection?.edges.length ?? 0}
        totalCount={connection?.totalCount ?? null}
        updating={list.isFetching && !list.isPending}
        canGoBack={cursors.length > 0}
        nextCursor={connection?.pageInfo.hasNextPage ? (connection.pageInfo.endCursor ?? null) : null}
        onPrevious={url.previousPage}
        onNext={url.nextPage}
      />
    </div>
  );
}
