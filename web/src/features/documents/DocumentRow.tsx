"use client";

import Link from "next/link";
import { memo } from "react";
import type { DocumentRowFragment } from "@/gql/graphql";
import { formatAmount, formatBytes, formatDateTime, humanize } from "@/lib/format";
import { errorMessage } from "@/lib/graphql";
import { useJobAction } from "@/lib/job-actions";
import { useCan } from "@/lib/auth/session";
import { ProgressBar } from "@/components/ProgressBar";
import { StatusBadge } from "@/components/StatusBadge";

function progressTone(status: DocumentRowFragment["status"]) {
  if (status === "FAILED") return "failed" as const;
  if (status === "COMPLETED" || status === "FINALIZED") return "done" as const;
  if (status === "CANCELLED") return "idle" as const;
  return "active" as const;
}

/** One dashboard row. Memoised: a live event replaces only its own row object. */
export const DocumentRow = memo(function DocumentRow({
  doc,
  selected = false,
  onToggle,
}: {
  doc: DocumentRowFragment;
  selected?: boolean;
  /** Bulk selection (stable callback: rows are memoised). */
  onToggle?: (id: string) => void;
}) {
  const job = doc.latestJob;
  const fields = doc.extraction?.fields;
  const progress = doc.status === "COMPLETED" || doc.status === "FINALIZED" ? 100 : (job?.progress ?? 0);
  const retry = useJobAction("retry", doc.id);
  const cancel = useJobAction("cancel", doc.id);
  const mayAct = useCan()("review"); // retry and cancel are the reviewer's
  const canRetry = mayAct && !!job && (job.status === "FAILED" || job.status === "CANCELLED");
  const canCancel = mayAct && !!job && (job.status === "QUEUED" || job.status === "PROCESSING");
  const actionError =
    (retry.data && !retry.data.ok && retry.data.message) ||
    (cancel.data && !cancel.data.ok && cancel.data.message) ||
    (retry.error && errorMessage(retry.error)) ||
    (cancel.error && errorMessage(cancel.error)) ||
    null;

  let detail: string;
  if (doc.status === "FAILED") detail = job?.errorMessage || (job?.errorCode ? humanize(job.errorCode) : "Processing failed");
  else if (doc.status === "CANCELLED") detail = "Cancelled";
  else if (doc.status === "COMPLETED") detail = "Ready for review";
  else if (doc.status === "FINALIZED") detail = "Finalized";
  else if (doc.status === "QUEUED") detail = job && job.retryCount > 0 ? `Queued (retry ${job.retryCount})` : "Waiting for a worker";
  else detail = job?.stage ? humanize(job.stage) : "Processing";

  return (
    <tr
      data-testid="document-row"
      data-filename={doc.originalFilename}
      data-document-id={doc.id}
      data-status={doc.status}
      data-retries={job?.retryCount ?? 0}
      data-selected={selected}
      className={`align-top hover:bg-slate-50/70 ${selected ? "bg-indigo-50/60" : ""}`}
    >
      <td className="px-3 py-2.5">
        {onToggle ? (
          <input
            type="checkbox"
            checked={selected}
            onChange={() => onToggle(doc.id)}
            aria-label={`Select ${doc.originalFilename}`}
            data-testid="row-select"
            className="mt-1 h-4 w-4"
          />
        ) : null}
      </td>
      <td className="px-3 py-2.5">
        <Link
          href={`/documents/${doc.id}`}
          className="block truncate font-medium text-indigo-700 hover:underline"
          title={doc.originalFilename}
          data-testid="row-link"
        >
          {doc.originalFilename}
        </Link>
        <span className="text-xs tabular-nums text-slate-500">{formatBytes(doc.fileSize)}</span>
        {doc.possibleDuplicates.length > 0 ? (
          <span
            className="ml-2 rounded bg-amber-100 px-1.5 py-0.5 text-[11px] font-medium text-amber-900"
            data-testid="duplicate-badge"
            title="Same invoice number, total and vendor or VAT id as another document"
          >
            Possible duplicate
          </span>
        ) : null}
      </td>
      <td className="truncate px-3 py-2.5" title={fields?.vendorName ?? undefined} data-testid="row-vendor">
        {fields?.vendorName ?? <span className="text-slate-500">—</span>}
      </td>
      <td className="px-3 py-2.5 text-right tabular-nums" data-testid="row-total">
        {fields?.totalAmount ? formatAmount(fields.totalAmount, fields.currency) : <span className="text-slate-500">—</span>}
      </td>
      <td className="px-3 py-2.5">
        <StatusBadge status={doc.status} />
      </td>
      <td className="px-3 py-2.5">
        <div className="pt-1.5">
          <ProgressBar value={progress} tone={progressTone(doc.status)} label={`Progress of ${doc.originalFilename}`} />
        </div>
        {/* Two lines reserved so a stage change or an error never changes the row height. */}
        <p
          className={`mt-1 line-clamp-2 h-8 text-xs leading-4 ${doc.status === "FAILED" ? "text-rose-700" : "text-slate-500"}`}
          data-testid={doc.status === "FAILED" ? "row-error" : "row-stage"}
          title={actionError ?? detail}
        >
          {actionError ? <span className="text-rose-700">{actionError}</span> : detail}
        </p>
      </td>
      <td className="hidden px-3 py-2.5 text-xs tabular-nums text-slate-600 lg:table-cell">{formatDateTime(doc.uploadedAt)}</td>
      <td className="px-3 py-2.5 text-right">
        {canRetry && job ? (
          <button
            type="button"
            onClick={() => retry.mutate(job.id)}
            disabled={retry.isPending}
            data-testid="retry-button"
            aria-label={`Retry processing ${doc.originalFilename}`}
            className="rounded-md border border-slate-300 bg-white px-2.5 py-1 text-xs font-medium hover:bg-slate-50 disabled:opacity-50"
          >
            {retry.isPending ? "Retrying…" : "Retry"}
          </button>
        ) : canCancel && job ? (
          <button
            type="button"
            onClick={() => cancel.mutate(job.id)}
            disabled={cancel.isPending}
            data-testid="cancel-button"
            aria-label={`Cancel processing ${doc.originalFilename}`}
            className="rounded-md border border-slate-300 bg-white px-2.5 py-1 text-xs font-medium hover:bg-slate-50 disabled:opacity-50"
          >
            {cancel.isPending ? "Cancelling…" : "Cancel"}
          </button>
        ) : (
          <Link
            href={`/documents/${doc.id}`}
            aria-label={`${doc.status === "FINALIZED" ? "View" : "Review"} ${doc.originalFilename}`}
            className="rounded-md px-2.5 py-1 text-xs font-medium text-indigo-700 hover:bg-indigo-50"
          >
            {doc.status === "FINALIZED" ? "View" : "Review"}
          </Link>
        )}
      </td>
    </tr>
  );
});
