import type { DocumentStatus, JobStatus } from "@/gql/graphql";

const STYLES: Record<DocumentStatus, string> = {
  QUEUED: "bg-slate-100 text-slate-700 ring-slate-300",
  PROCESSING: "bg-sky-50 text-sky-800 ring-sky-300",
  COMPLETED: "bg-emerald-50 text-emerald-800 ring-emerald-300",
  FAILED: "bg-rose-50 text-rose-800 ring-rose-300",
  CANCELLED: "bg-amber-50 text-amber-800 ring-amber-300",
  FINALIZED: "bg-indigo-50 text-indigo-800 ring-indigo-300",
};

export const STATUS_LABELS: Record<DocumentStatus, string> = {
  QUEUED: "Queued",
  PROCESSING: "Processing",
  COMPLETED: "Completed",
  FAILED: "Failed",
  CANCELLED: "Cancelled",
  FINALIZED: "Finalized",
};

export function StatusBadge({ status }: { status: DocumentStatus | JobStatus }) {
  return (
    <span
      data-testid="status-badge"
      data-status={status}
      className={`inline-flex w-24 justify-center rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${STYLES[status]}`}
    >
      {STATUS_LABELS[status]}
    </span>
  );
}
