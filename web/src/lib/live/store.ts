/**
 * The live cache: how one JobEvent changes what the app has cached, as pure functions, plus the
 * small event log the socket feeds (`LiveStore`) and `applyJobEvent`, which applies an event to
 * the TanStack Query cache with those functions. No network and no React here (see socket.ts and
 * hooks.tsx), so every rule is unit-tested (store.test.ts).
 *
 * The dashboard feed can carry hundreds of events a second when many jobs move, so an event never
 * triggers a list refetch on its own: rows already in the cache are patched in place (only the
 * changed edge gets a new object, so other rows do not re-render), the status counts are moved by
 * one, and the open review screen's timeline gets the event appended. Only what the event cannot
 * tell us (a document we have never seen, the vendor/total after a job completes) costs a
 * request, and those are batched and throttled by the caller's scheduler (scheduler.ts).
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
import { queryKeys } from "@/lib/query-keys";

export type JobEvent = JobEventFieldsFragment;
export type DocumentListResult = DocumentListQuery;
export type Row = DocumentListQuery["documents"]["edges"][number]["node"];
export type ConnectionState = "connecting" | "connected" | "reconnecting";

/** What the upload screen shows for a document it just sent: the latest event's view of it. */
export type LiveDocument = {
  status: DocumentStatus | JobStatus;
  progress: number;
  stage: string | null;
  message: string | null;
  eventId: string;
};

export type LiveScheduler = {
  /** A document no cached list holds was just uploaded: refresh lists and counts (throttled). */
  newDocument: (documentId: string) => void;
  /** A job changed status: re-read the counts now and then (throttled). */
  countsChanged: () => void;
  /** Documents changed in a way no job event tells (finalized elsewhere): refresh lists and counts (throttled). */
  listsChanged: () => void;
  /** A job finished: the row's extracted fields (vendor, total) need one fetch (batched). */
  documentSettled: (documentId: string) => void;
};

export const TERMINAL: ReadonlySet<JobStatus> = new Set(["COMPLETED", "FAILED", "CANCELLED"]);
/** Event types that change a job's status (the others only move progress and stage). */
const STATUS_CHANGES: ReadonlySet<JobEventType> = new Set([
  "JOB_QUEUED",
  "JOB_STARTED",
  "JOB_COMPLETED",
  "JOB_FAILED",
  "JOB_CANCELLED",
]);
/** Documents remembered by the event log; the oldest are forgotten first. */
const MAX_REMEMBERED = 5000;

// ---------------------------------------------------------------------------------------------
// Pure merge rules
// ---------------------------------------------------------------------------------------------

/** Is `a` strictly after `b`? Event ids are monotonically increasing integers sent as ID strings. */
export function eventIdAfter(a: string, b: string | null): boolean {
  if (b === null) return true;
  if (/^\d+$/.test(a) && /^\d+$/.test(b)) {
    return a.length !== b.length ? a.length > b.length : a > b;
  }
  return a > b;
}

/** A finalized document stays finalized when its (re-run) job completes; otherwise it follows the job. */
export function documentStatusFor(job: JobStatus, current: DocumentStatus | undefined): DocumentStatus {
  if (current === "FINALIZED" && job === "COMPLETED") return "FINALIZED";
  return job;
}

/** The row as the event says it is now. Error and retry details survive events of the same job. */
export function patchRow(row: Row, ev: JobEvent): Row {
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

/**
 * One list page with document `id`'s row replaced by `update(row)`; the same object when the page
 * does not hold that document (so TanStack Query re-renders nothing).
 */
export function updateRow(data: DocumentListResult, id: string, update: (row: Row) => Row): DocumentListResult {
  const index = data.documents.edges.findIndex((edge) => edge.node.id === id);
  if (index < 0) return data;
  const edges = data.documents.edges.slice();
  edges[index] = { ...edges[index], node: update(edges[index].node) };
  return { documents: { ...data.documents, edges } };
}

/** The status counts after one document moved from `from` to `to` (never below zero). */
export function moveStatusCount(
  counts: DocumentCountsQuery,
  from: DocumentStatus,
  to: DocumentStatus,
): DocumentCountsQuery {
  if (from === to) return counts;
  const next = counts.documentCounts.map((c) =>
    c.status === from ? { ...c, count: Math.max(0, c.count - 1) } : c.status === to ? { ...c, count: c.count + 1 } : c,
  );
  if (!next.some((c) => c.status === to)) next.push({ status: to, count: 1 });
  return { documentCounts: next };
}

/**
 * The review screen's document after one event. `refetch` says the event cannot be applied in
 * place or leaves parts stale: another job than the cached one (a retry started elsewhere), or a
 * terminal event (the extraction, error code and timestamps change and are not in the event).
 * An event already on the timeline is not appended twice.
 */
export function patchDetail(
  detail: DocumentDetailByIdQuery,
  ev: JobEvent,
): { detail: DocumentDetailByIdQuery; refetch: boolean } {
  const doc = detail.document;
  if (!doc) return { detail, refetch: false };
  const job = doc.latestJob;
  if (!job || job.id !== ev.jobId) return { detail, refetch: true };
  const events = job.events.some((e) => e.id === ev.id) ? job.events : [...job.events, ev];
  const next: DocumentDetailByIdQuery = {
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
  };
  return { detail: next, refetch: TERMINAL.has(ev.status) };
}

/**
 * A row fetched while events kept arriving may be older than events already applied to the cache
 * (they patched the previous data, which the response then replaced). If the row's latest event
 * arrived after the fetch started (`since` = the last event id seen then), re-apply it: it is the
 * newest state we know. Otherwise the response is at least as new as the event.
 */
export function reconcileRow(row: Row, latest: JobEvent | undefined, since: string | null): Row {
  return latest && eventIdAfter(latest.id, since) ? patchRow(row, latest) : row;
}

/** `reconcileRow` for every row of a fetched list page; the same object when nothing changed. */
export function reconcileList(
  data: DocumentListResult,
  latestFor: (documentId: string) => JobEvent | undefined,
  since: string | null,
): DocumentListResult {
  let changed = false;
  const edges = data.documents.edges.map((edge) => {
    const node = reconcileRow(edge.node, latestFor(edge.node.id), since);
    if (node === edge.node) return edge;
    changed = true;
    return { ...edge, node };
  });
  return changed ? { documents: { ...data.documents, edges } } : data;
}

// ---------------------------------------------------------------------------------------------
// The event log
// ---------------------------------------------------------------------------------------------

type Listener = () => void;

/**
 * What the live feed has seen: the last event id (the resume cursor), each document's latest event,
 * and the connection state. Read by React through useSyncExternalStore (hooks.tsx); one per app.
 */
export class LiveStore {
  connection: ConnectionState = "connecting";
  lastEventId: string | null = null;
  /** How many documents wait for review (the `reviewQueueLength` subscription); null until known. */
  queueLength: number | null = null;
  private docs = new Map<string, LiveDocument>();
  private latest = new Map<string, JobEvent>();
  private listeners = new Set<Listener>();

  subscribe = (listener: Listener) => {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  };

  private emit() {
    for (const l of this.listeners) l();
  }

  setQueueLength(length: number) {
    if (this.queueLength === length) return;
    this.queueLength = length;
    this.emit();
  }

  setConnection(state: ConnectionState) {
    if (this.connection === state) return;
    this.connection = state;
    this.emit();
  }

  /**
   * Record an event; false (and nothing changes) for an event at or before the last one seen: a
   * duplicate from a replay after reconnecting, or one that arrived out of order.
   */
  accept(ev: JobEvent): boolean {
    if (!eventIdAfter(ev.id, this.lastEventId)) return false;
    this.lastEventId = ev.id;
    remember(this.docs, ev.documentId, {
      status: ev.status,
      progress: ev.progress,
      stage: ev.stage ?? null,
      message: ev.message ?? null,
      eventId: ev.id,
    });
    remember(this.latest, ev.documentId, ev);
    this.emit();
    return true;
  }

  latestEvent(documentId: string): JobEvent | undefined {
    return this.latest.get(documentId);
  }

  getDocument(id: string): LiveDocument | undefined {
    return this.docs.get(id);
  }

  /** `reconcileList` against this log's latest events. */
  reconcileList(data: DocumentListResult, since: string | null): DocumentListResult {
    return reconcileList(data, (id) => this.latest.get(id), since);
  }
}

/** Set `key` as the most recent entry (a Map iterates in insertion order) and drop the oldest past the cap. */
function remember<V>(map: Map<string, V>, key: string, value: V) {
  map.delete(key);
  map.set(key, value);
  if (map.size > MAX_REMEMBERED) {
    const oldest = map.keys().next().value;
    if (oldest !== undefined) map.delete(oldest);
  }
}

// ---------------------------------------------------------------------------------------------
// Applying an event to the query cache
// ---------------------------------------------------------------------------------------------

/** Apply one (new, in-order) event to every cached list page, the counts and the review screen. */
export function applyJobEvent(qc: QueryClient, ev: JobEvent, scheduler: LiveScheduler): void {
  let found = false;
  let oldStatus: DocumentStatus | undefined;
  let newStatus: DocumentStatus | undefined;

  for (const [key, data] of qc.getQueriesData<DocumentListResult>({ queryKey: queryKeys.documentsRoot })) {
    if (!data) continue;
    const next = updateRow(data, ev.documentId, (row) => {
      const patched = patchRow(row, ev);
      if (!found) {
        oldStatus = row.status;
        newStatus = patched.status;
      }
      found = true;
      return patched;
    });
    if (next !== data) qc.setQueryData<DocumentListResult>(key, next);
  }

  if (found && oldStatus && newStatus && oldStatus !== newStatus) {
    const from = oldStatus;
    const to = newStatus;
    qc.setQueryData<DocumentCountsQuery>(queryKeys.counts, (counts) => counts && moveStatusCount(counts, from, to));
  }
  // Counts are also re-read now and then (throttled): a count fetch in flight while rows were
  // patched may have answered with numbers from before or after the change, and documents outside
  // the cached pages move counts too.
  if (STATUS_CHANGES.has(ev.type)) scheduler.countsChanged();
  // Rows beyond the cached pages are not fetched for their events (a hundred busy jobs would mean
  // a refetch storm); only a new upload can change what the cached pages show.
  if (!found && ev.type === "JOB_QUEUED" && ev.attempt === 1) scheduler.newDocument(ev.documentId);
  if (found && TERMINAL.has(ev.status)) scheduler.documentSettled(ev.documentId);

  // The review screen of this document, if it is cached.
  const detailKey = queryKeys.document(ev.documentId);
  const detail = qc.getQueryData<DocumentDetailByIdQuery>(detailKey);
  if (detail?.document) {
    const { detail: next, refetch } = patchDetail(detail, ev);
    if (next !== detail) qc.setQueryData<DocumentDetailByIdQuery>(detailKey, next);
    if (refetch) void qc.invalidateQueries({ queryKey: detailKey });
  }
}

/**
 * A new review queue length. The queue grows by job completions (their events already moved the
 * rows and counts); it shrinks when documents are finalized, here or in another tab, by another
 * reviewer or the straight-through rule, which no job event tells: then the lists and counts are
 * read again (throttled).
 */
export function applyQueueLength(store: LiveStore, length: number, scheduler: LiveScheduler): void {
  const before = store.queueLength;
  store.setQueueLength(length);
  if (before !== null && length < before) scheduler.listsChanged();
}
