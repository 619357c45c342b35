"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { BulkResultFragment, DocumentFilter } from "@/gql/graphql";
import { useConfig } from "@/lib/config";
import { useCan } from "@/lib/auth/session";
import { errorMessage, gqlRequest } from "@/lib/graphql";
import { queryKeys } from "@/lib/query-keys";
import { BulkCancelMutation, BulkFinalizeMutation, BulkRetryMutation } from "./operations";
import { selectionArgs, selectionExportQuery, type Selection } from "./selection";

type Action = "finalize" | "retry" | "cancel";
const LABELS: Record<Action, string> = { finalize: "Finalize", retry: "Retry", cancel: "Cancel processing" };

const BUTTON = "rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium hover:bg-slate-50 disabled:opacity-50";

/** Bulk actions on the selected rows (or every document matching the filter), with the outcome
 * per document: done, or refused and why. */
export function BulkBar({
  selection,
  pageCount,
  totalCount,
  list,
  filterExportQuery,
  names,
  onSelectAllMatching,
  onClear,
  onDone,
}: {
  selection: Selection;
  /** Rows on this page (to offer "all matching" once the page is selected). */
  pageCount: number;
  totalCount: number | null;
  list: { search?: string | null; filter?: DocumentFilter | null };
  filterExportQuery: string;
  /** Document id → file name, for the results. */
  names: ReadonlyMap<string, string>;
  onSelectAllMatching: () => void;
  onClear: () => void;
  /** The ids a bulk action did (they leave the selection). */
  onDone: (ids: string[]) => void;
}) {
  const config = useConfig();
  const qc = useQueryClient();
  const can = useCan();
  const run = useMutation({
    mutationFn: async (action: Action): Promise<{ action: Action; result: BulkResultFragment }> => {
      const args = selectionArgs(selection, list);
      let result: BulkResultFragment;
      if (action === "finalize") result = (await gqlRequest(config, BulkFinalizeMutation, args)).bulkFinalize;
      else if (action === "retry") result = (await gqlRequest(config, BulkRetryMutation, args)).bulkRetry;
      else result = (await gqlRequest(config, BulkCancelMutation, args)).bulkCancel;
      return { action, result };
    },
    onSuccess: ({ result }) => {
      // What was done leaves the selection; refused documents stay picked, to act on again.
      if (result.__typename === "BulkActionSuccess") onDone(result.results.filter((r) => r.ok).map((r) => r.documentId));
    },
    onSettled: () => {
      void qc.invalidateQueries({ queryKey: queryKeys.documentsRoot });
      void qc.invalidateQueries({ queryKey: queryKeys.counts });
      void qc.invalidateQueries({ queryKey: queryKeys.documentRoot });
    },
  });

  const count = selection.allMatching ? (totalCount ?? 0) : selection.ids.size;
  if (count === 0 && !run.data && !run.error) return null;
  const exportSuffix = selectionExportQuery(selection, filterExportQuery);

  return (
    <section aria-label="Bulk actions" className="space-y-2 rounded-lg border border-indigo-200 bg-indigo-50/60 p-3" data-testid="bulk-bar">
      {count > 0 ? (
        <div className="flex flex-wrap items-center gap-2">
          <p className="text-sm font-medium text-slate-800" data-testid="selection-count" data-count={count}>
            {selection.allMatching ? `All ${count} matching this filter selected` : `${count} selected`}
          </p>
          {!selection.allMatching && totalCount !== null && selection.ids.size >= pageCount && totalCount > pageCount ? (
            <button type="button" onClick={onSelectAllMatching} className="text-sm text-indigo-700 underline" data-testid="select-all-matching">
              Select all {totalCount} matching this filter
            </button>
          ) : null}
          <span className="flex-1" />
          {can("review")
            ? (Object.keys(LABELS) as Action[]).map((action) => (
                <button
                  key={action}
                  type="button"
                  className={BUTTON}
                  disabled={run.isPending}
                  onClick={() => run.mutate(action)}
                  data-testid={`bulk-${action}`}
                >
                  {LABELS[action]}
                </button>
              ))
            : null}
          {can("export") ? (
            <>
              <a href={`${config.apiUrl}/api/exports/documents.csv${exportSuffix}`} className={BUTTON} data-testid="bulk-export-csv">
                Export CSV
              </a>
              <a href={`${config.apiUrl}/api/exports/documents.json${exportSuffix}`} className={BUTTON} data-testid="bulk-export-json">
                Export JSON
              </a>
            </>
          ) : null}
          <button type="button" onClick={onClear} className="text-sm text-slate-600 underline" data-testid="clear-selection">
            Clear
          </button>
        </div>
      ) : null}
      <BulkResults pending={run.isPending} data={run.data} error={run.error} names={names} />
    </section>
  );
}

function BulkResults({
  pending,
  data,
  error,
  names,
}: {
  pending: boolean;
  data: { action: Action; result: BulkResultFragment } | undefined;
  error: unknown;
  names: ReadonlyMap<string, string>;
}) {
  let body: React.ReactNode = null;
  if (pending) body = <p>Working…</p>;
  else if (error) body = <p className="text-rose-800">{errorMessage(error)}</p>;
  else if (data && data.result.__typename !== "BulkActionSuccess") body = <p className="text-rose-800">{"message" in data.result ? data.result.message : ""}</p>;
  else if (data && data.result.__typename === "BulkActionSuccess") {
    const { succeeded, refused, results } = data.result;
    body = (
      <>
        <p className="font-medium">
          {LABELS[data.action]}: {succeeded} done, {refused} refused.
        </p>
        <ul className="mt-1 max-h-48 space-y-0.5 overflow-y-auto text-xs">
          {results.map((r) => (
            <li key={r.documentId} data-testid="bulk-result" data-document-id={r.documentId} data-ok={r.ok} data-code={r.code ?? ""}>
              <span className={r.ok ? "text-emerald-800" : "text-rose-800"}>{r.ok ? "✓ done" : `✗ ${r.code}`}</span>{" "}
              <span className="font-medium">{names.get(r.documentId) ?? r.documentId}</span>
              {r.message ? <span className="text-slate-600"> — {r.message}</span> : null}
            </li>
          ))}
        </ul>
      </>
    );
  }
  return (
    <div role="status" aria-live="polite" className="text-sm text-slate-800" data-testid="bulk-results">
      {body}
    </div>
  );
}
