"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useMemo } from "react";
import { useConfig } from "@/lib/config";
import { errorMessage, gqlRequest } from "@/lib/graphql";
import { useLiveListFetcher } from "@/lib/live/hooks";
import { queryKeys } from "@/lib/query-keys";
import { DocumentsTable } from "./DocumentsTable";
import { ExportLinks } from "./ExportLinks";
import { DocumentCountsQuery, DocumentListQuery } from "./operations";
import { Pagination } from "./Pagination";
import { SearchBox } from "./SearchBox";
import { StatusFilter } from "./StatusFilter";
import { listVariables, PAGE_SIZE, useDashboardUrlState } from "./url-state";

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

      <div className="flex flex-col gap-3 lg:flex-row lg:items-center">
        <SearchBox value={search} onSearch={url.setSearch} />
        <StatusFilter status={status} counts={counts.data} onChange={url.setStatus} />
      </div>

      {counts.isError ? (
        <p className="text-sm text-rose-700" role="alert">
          Status counts unavailable: {errorMessage(counts.error)}
        </p>
      ) : null}

      <DocumentsTable
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
