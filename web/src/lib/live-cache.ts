/**
 * Applying one JobEvent to the TanStack Query cache in place.
 *
 * The dashboard feed can carry hundreds of events a second when many jobs move, so an event never
 * triggers a list refetch on its own: rows already in the cache are patched with setQueryData
 * (only the changed edge gets a new object, so other rows do not re-render), the status counts are
 * moved by one, and the open review screen's timeline gets the event appended. Only what the event
 * cannot tell us (a document we have never seen, the vendor/total after a job completes) costs a
 * request, and those are batched and debounced by the caller's scheduler.
 */
import type { QueryClient } from "@tanstack/react-query";
import type {
  DocumentCountsQuery,
  DocumentDetailByIdQuery,
  DocumentListQuery,
  DocumentStatus,
  JobEventFieldsFragment,
  JobEventType,
  JobStatus,
} from "@/gql/graphql";

export const queryKeys = {
  documentsRoot: ["documents"] as const,
  documents: (vars: object) => ["documents", vars] as const,
  counts: ["documentCounts"] as const,
  documentRoot: ["document"] as const,
  document: (id: string) => ["document", id] as const,
};

export type LiveScheduler = {
  /** A document no cached list holds was just uploaded: refresh lists and counts (throttled). */
  newDocument: (documentId: string) => void;
  /** A document outside the cached lists changed status: refresh the counts (throttled). */
  countsChanged: () => void;
  /** A job finished: the row's extracted fields (vendor, total) need one fetch (batched). */
  documentSettled: (documentId: string) => void;
};

const TERMINAL: ReadonlySet<JobStatus> = new Set(["COMPLETED", "FAILED", "CANCELLED"]);
/** Event types that change a job's status (the others only move progress and stage). */
const STATUS_CHANGES: ReadonlySet<JobEventType> = new Set([
  "JOB_QUEUED",
  "JOB_STARTED",
  "JOB_COMPLETED",
  "JOB_FAILED",
  "JOB_CANCELLED",
]);

export function documentStatusFor(job: JobStatus, current: DocumentStatus | undefined): DocumentStatus {
  if (current === "FINALIZED" && job === "COMPLETED") return "FINALIZED";
  return job;
}

type Row = DocumentListQuery["documents"]["edges"][number]["node"];

export function patchRow(row: Row, ev: JobEventFieldsFragment): Row {
  const prev = row.latestJob;
  const sameJob = prev?.id === ev.jobId;
  const failed = ev.status === "FAILED";
  const latestJob = {
    id: ev.jobId,
    status: ev.status,
    progress: ev.progress,
    stage: ev.stage ?? null,
    errorCode: failed ? (sameJob ? (prev?.errorCode ?? null) : null) : null,
    errorMessage: failed ? (ev.message ?? (sameJob ? (prev?.errorMessage ?? null) : null)) : null,
    retryCount: Math.max(ev.attempt - 1, sameJob ? (prev?.retryCount ?? 0) : 0),
  };
  return { ...row, status: documentStatusFor(ev.status, row.status), latestJob };
}

/** Is `a` strictly after `b`? Event ids are monotonically increasing integers sent as ID strings. */
export function eventIdAfter(a: string, b: string | null): boolean {
  if (b === null) return true;
  if (/^\d+$/.test(a) && /^\d+$/.test(b)) {
    return a.length !== b.length ? a.length > b.length : a > b;
  }
  return a > b;
}

export function applyJobEvent(qc: QueryClient, ev: JobEventFieldsFragment, scheduler: LiveScheduler): void {
  let found = false;
  let oldStatus: DocumentStatus | undefined;
  let newStatus: DocumentStatus | undefined;

  const lists = qc.getQueriesData<DocumentListQuery>({ queryKey: queryKeys.documentsRoot });
  for (const [key, data] of lists) {
    if (!data) continue;
    const index = data.documents.edges.findIndex((edge) => edge.node.id === ev.documentId);
    if (index < 0) continue;
    const edge = data.documents.edges[index];
    const patched = patchRow(edge.node, ev);
    // Counts are also re-read now and then (throttled): a count fetch in flight while rows were
  // patched may have answered with numbers from before or after the change.
  if (STATUS_CHANGES.has(ev.type)) scheduler.countsChanged();
  if (!found) {
      oldStatus = edge.node.status;
      newStatus = patched.status;
    }
    found = true;
    const edges = data.documents.edges.slice();
    edges[index] = { ...edge, node: patched };
    qc.setQueryData<DocumentListQuery>(key, { documents: { ...data.documents, edges } });
  }

  if (found && oldStatus && newStatus && oldStatus !== newStatus) {
    const from = oldStatus;
    const to = newStatus;
    qc.setQueryData<DocumentCountsQuery>(queryKeys.counts, (counts) => {
      if (!counts) return counts;
      const next = counts.documentCounts.map((c) =>
        c.status === from ? { ...c, count: Math.max(0, c.count - 1) } : c.status === to ? { ...c, count: c.count + 1 } : c,
      );
      if (!next.some((c) => c.status === to)) next.push({ status: to, count: 1 });
      return { documentCounts: next };
    });
  }
  // Counts are also re-read now and then (throttled): a count fetch in flight while rows were
  // patched may have answered with numbers from before or after the change.
  if (STATUS_CHANGES.has(ev.type)) scheduler.countsChanged();
  if (!found) {
    // Rows beyond the cached pages are not fetched for their events (a hundred busy jobs would
    // mean a refetch storm); only a new upload can change what the cached pages show.
    if (ev.type === "JOB_QUEUED" && ev.attempt === 1) scheduler.newDocument(ev.documentId);
  }
  if (TERMINAL.has(ev.status) && found) scheduler.documentSettled(ev.documentId);

  // The review screen of this document, if it is cached.
  const detailKey = queryKeys.document(ev.documentId);
  const detail = qc.getQueryData<DocumentDetailByIdQuery>(detailKey);
  if (detail?.document) {
    const doc = detail.document;
    const job = doc.latestJob;
    if (!job || job.id !== ev.jobId) {
      void qc.invalidateQueries({ queryKey: detailKey });
    } else {
      const events = job.events.some((e) => e.id === ev.id) ? job.events : [...job.events, ev];
      qc.setQueryData<DocumentDetailByIdQuery>(detailKey, {
        document: {
          ...doc,
          status: documentStatusFor(ev.status, doc.status),
          latestJob: {
            ...job,
            status: ev.status,
            progress: ev.progress,
            stage: ev.stage ?? null,
            errorMessage: ev.status === "FAILED" ? (ev.message ?? job.errorMessage) : null,
            errorCode: ev.status === "FAILED" ? job.errorCode : null,
            events,
          },
        },
      });
      // Terminal events change what the event does not carry (extraction, error code, timestamps).
      if (TERMINAL.has(ev.status)) void qc.invalidateQueries({ queryKey: detailKey });
    }
  }
}
