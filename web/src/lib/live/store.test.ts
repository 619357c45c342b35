import { QueryClient } from "@tanstack/react-query";
import { beforeEach, describe, expect, it } from "vitest";
import type {
  DocumentCountsQuery,
  DocumentDetailByIdQuery,
  DocumentStatus,
  JobEventType,
  JobStatus,
} from "@/gql/graphql";
import { queryKeys } from "@/lib/query-keys";
import {
  applyJobEvent,
  applyQueueLength,
  documentStatusFor,
  eventIdAfter,
  LiveStore,
  moveStatusCount,
  patchDetail,
  patchRow,
  reconcileList,
  type DocumentListResult,
  type JobEvent,
  type LiveScheduler,
  type Row,
} from "./store";

// ---- builders ---------------------------------------------------------------------------------

function row(id: string, status: DocumentStatus = "QUEUED", job: Partial<NonNullable<Row["latestJob"]>> = {}): Row {
  return {
    id,
    originalFilename: `${id}.pdf`,
    fileSize: 1000,
    possibleDuplicates: [],
    uploadedAt: "2026-01-01T00:00:00Z",
    status,
    latestJob: {
      id: `job-${id}`,
      status: status === "FINALIZED" ? "COMPLETED" : status,
      progress: 0,
      stage: null,
      errorCode: null,
      errorMessage: null,
      retryCount: 0,
      ...job,
    },
    extraction: null,
  };
}

const TYPE_FOR: Record<JobStatus, JobEventType> = {
  QUEUED: "JOB_QUEUED",
  PROCESSING: "FIELD_EXTRACTION_STARTED",
  COMPLETED: "JOB_COMPLETED",
  FAILED: "JOB_FAILED",
  CANCELLED: "JOB_CANCELLED",
};

function event(id: number, documentId: string, status: JobStatus, extra: Partial<JobEvent> = {}): JobEvent {
  return {
    id: String(id),
    jobId: `job-${documentId}`,
    documentId,
    type: TYPE_FOR[status],
    status,
    progress: status === "COMPLETED" ? 100 : 0,
    stage: null,
    message: null,
    attempt: 1,
    occurredAt: "2026-01-01T00:00:01Z",
    ...extra,
  };
}

function page(...rows: Row[]): DocumentListResult {
  return {
    documents: {
      totalCount: rows.length,
      pageInfo: { hasNextPage: false, endCursor: null },
      edges: rows.map((node) => ({ cursor: `c-${node.id}`, node })),
    },
  };
}

function counts(entries: Partial<Record<DocumentStatus, number>>): DocumentCountsQuery {
  return { documentCounts: Object.entries(entries).map(([status, count]) => ({ status: status as DocumentStatus, count })) };
}

function countOf(data: DocumentCountsQuery | undefined, status: DocumentStatus): number | undefined {
  return data?.documentCounts.find((c) => c.status === status)?.count;
}

function detail(documentId: string, events: JobEvent[] = []): DocumentDetailByIdQuery {
  const base = row(documentId, "PROCESSING");
  return {
    document: {
      id: documentId,
      originalFilename: base.originalFilename,
      mimeType: "application/pdf",
      fileSize: base.fileSize,
      sha256: "0".repeat(64),
      pageCount: 1,
      uploadedAt: base.uploadedAt,
      status: "PROCESSING",
      fileUrl: `/api/documents/${documentId}/file`,
      duplicateOf: null,
      possibleDuplicates: [],
      latestJob: {
        ...base.latestJob!,
        createdAt: base.uploadedAt,
        startedAt: base.uploadedAt,
        completedAt: null,
        events,
      },
      history: [],
      extraction: null,
    },
  };
}

/** Records what the cache asked the scheduler for (the real one makes HTTP requests). */
function recordingScheduler() {
  const calls = { newDocument: [] as string[], countsChanged: 0, listsChanged: 0, documentSettled: [] as string[] };
  const scheduler: LiveScheduler = {
    newDocument: (id) => calls.newDocument.push(id),
    countsChanged: () => {
      calls.countsChanged += 1;
    },
    listsChanged: () => {
      calls.listsChanged += 1;
    },
    documentSettled: (id) => calls.documentSettled.push(id),
  };
  return { calls, scheduler };
}

// ---- tests ------------------------------------------------------------------------------------

describe("eventIdAfter", () => {
  it("compares numeric ids as numbers, not strings", () => {
    expect(eventIdAfter("10", "9")).toBe(true);
    expect(eventIdAfter("9", "10")).toBe(false);
    expect(eventIdAfter("12345678901234567890", "9999")).toBe(true);
  });
  it("is strict, and everything is after nothing", () => {
    expect(eventIdAfter("7", "7")).toBe(false);
    expect(eventIdAfter("1", null)).toBe(true);
  });
});

describe("LiveStore.accept (the event log)", () => {
  it("drops duplicates and out-of-order events without changing anything", () => {
    const store = new LiveStore();
    let notified = 0;
    store.subscribe(() => notified++);

    expect(store.accept(event(5, "a", "PROCESSING", { progress: 50 }))).toBe(true);
    expect(store.accept(event(5, "a", "PROCESSING", { progress: 50 }))).toBe(false); // replayed duplicate
    expect(store.accept(event(3, "a", "QUEUED"))).toBe(false); // older, arrived late
    expect(store.accept(event(4, "b", "QUEUED"))).toBe(false); // older, another document

    expect(store.lastEventId).toBe("5");
    expect(store.getDocument("a")).toMatchObject({ status: "PROCESSING", progress: 50, eventId: "5" });
    expect(store.getDocument("b")).toBeUndefined();
    expect(notified).toBe(1);
  });

  it("keeps each document's latest event", () => {
    const store = new LiveStore();
    store.accept(event(1, "a", "QUEUED"));
    store.accept(event(2, "b", "QUEUED"));
    store.accept(event(3, "a", "COMPLETED"));
    expect(store.latestEvent("a")?.id).toBe("3");
    expect(store.latestEvent("b")?.id).toBe("2");
    expect(store.getDocument("a")?.status).toBe("COMPLETED");
  });
});

describe("patchRow", () => {
  it("moves status and progress and counts retries from the attempt", () => {
    const patched = patchRow(row("a"), event(1, "a", "PROCESSING", { progress: 40, stage: "ocr", attempt: 3 }));
    expect(patched.status).toBe("PROCESSING");
    expect(patched.latestJob).toMatchObject({ progress: 40, stage: "ocr", retryCount: 2 });
  });

  it("keeps the error code of the same job when it fails, and drops a previous job's", () => {
    const failed = row("a", "PROCESSING", { errorCode: "PDF_ENCRYPTED" });
    expect(patchRow(failed, event(1, "a", "FAILED", { message: "encrypted" })).latestJob).toMatchObject({
      errorCode: "PDF_ENCRYPTED",
      errorMessage: "encrypted",
    });
    const newJob = patchRow(failed, event(2, "a", "FAILED", { jobId: "job-2" })).latestJob;
    expect(newJob).toMatchObject({ id: "job-2", errorCode: null, errorMessage: null, retryCount: 0 });
  });

  it("clears the error when the job is running again", () => {
    const failed = row("a", "FAILED", { errorCode: "X", errorMessage: "boom" });
    expect(patchRow(failed, event(1, "a", "QUEUED", { attempt: 2 })).latestJob).toMatchObject({
      errorCode: null,
      errorMessage: null,
      retryCount: 1,
    });
  });

  it("keeps a finalized document finalized when its job completes", () => {
    expect(documentStatusFor("COMPLETED", "FINALIZED")).toBe("FINALIZED");
    expect(documentStatusFor("PROCESSING", "FINALIZED")).toBe("PROCESSING");
    expect(patchRow(row("a", "FINALIZED"), event(1, "a", "COMPLETED")).status).toBe("FINALIZED");
  });
});

describe("moveStatusCount", () => {
  it("moves one document between statuses", () => {
    const next = moveStatusCount(counts({ QUEUED: 2, PROCESSING: 1 }), "QUEUED", "PROCESSING");
    expect(countOf(next, "QUEUED")).toBe(1);
    expect(countOf(next, "PROCESSING")).toBe(2);
  });
  it("adds a status the counts did not list and never goes below zero", () => {
    const next = moveStatusCount(counts({ QUEUED: 0 }), "QUEUED", "FAILED");
    expect(countOf(next, "QUEUED")).toBe(0);
    expect(countOf(next, "FAILED")).toBe(1);
  });
  it("is the same object when nothing moves", () => {
    const before = counts({ QUEUED: 1 });
    expect(moveStatusCount(before, "QUEUED", "QUEUED")).toBe(before);
  });
});

describe("reconcileList (a refetch racing live events)", () => {
  it("re-applies events that arrived while the list was in flight, and only those", () => {
    const store = new LiveStore();
    store.accept(event(4, "b", "PROCESSING", { progress: 10 }));
    const since = store.lastEventId; // the fetch starts here
    store.accept(event(5, "a", "PROCESSING", { progress: 80 })); // arrives during the fetch
    // The server answered with a snapshot from before event 5 (a) and after event 4 (b).
    const response = page(row("a", "PROCESSING", { progress: 20 }), row("b", "PROCESSING", { progress: 60 }), row("c"));

    const merged = store.reconcileList(response, since);

    expect(merged.documents.edges[0].node.latestJob?.progress).toBe(80);
    expect(merged.documents.edges[1]).toBe(response.documents.edges[1]); // response is newer than event 4
    expect(merged.documents.edges[2]).toBe(response.documents.edges[2]);
    expect(merged.documents.totalCount).toBe(3);
  });

  it("returns the response itself when no event raced it", () => {
    const response = page(row("a"), row("b"));
    expect(reconcileList(response, () => undefined, null)).toBe(response);
    expect(reconcileList(response, () => event(3, "a", "COMPLETED"), "3")).toBe(response);
  });
});

describe("patchDetail (the review screen)", () => {
  it("appends an event to the timeline once", () => {
    const first = patchDetail(detail("a"), event(7, "a", "PROCESSING", { progress: 30 }));
    expect(first.refetch).toBe(false);
    expect(first.detail.document?.latestJob?.events.map((e) => e.id)).toEqual(["7"]);
    expect(first.detail.document?.latestJob?.progress).toBe(30);

    const again = patchDetail(first.detail, event(7, "a", "PROCESSING", { progress: 30 }));
    expect(again.detail.document?.latestJob?.events.map((e) => e.id)).toEqual(["7"]);
  });

  it("asks for a refetch for another job or a terminal event", () => {
    const cached = detail("a");
    const other = patchDetail(cached, event(8, "a", "QUEUED", { jobId: "job-other" }));
    expect(other).toEqual({ detail: cached, refetch: true });
    const done = patchDetail(cached, event(9, "a", "COMPLETED"));
    expect(done.refetch).toBe(true);
    expect(done.detail.document?.status).toBe("COMPLETED");
  });
});

describe("applyJobEvent (events into the query cache)", () => {
  let qc: QueryClient;
  const firstPage = queryKeys.documents({ first: 20, after: null });
  const filtered = queryKeys.documents({ first: 20, after: null, filter: { status: ["QUEUED"] } });

  beforeEach(() => {
    qc = new QueryClient();
  });

  /** What the socket does with each message: the log decides, the cache follows. */
  function receive(store: LiveStore, scheduler: LiveScheduler, ...events: JobEvent[]) {
    for (const ev of events) if (store.accept(ev)) applyJobEvent(qc, ev, scheduler);
  }

  it("patches the row in every cached page and moves the counts once", () => {
    const other = row("b");
    qc.setQueryData(firstPage, page(row("a"), other));
    qc.setQueryData(filtered, page(row("a")));
    qc.setQueryData(queryKeys.counts, counts({ QUEUED: 2 }));
    const { calls, scheduler } = recordingScheduler();

    applyJobEvent(qc, event(1, "a", "PROCESSING", { type: "JOB_STARTED" }), scheduler);

    const main = qc.getQueryData<DocumentListResult>(firstPage)!;
    expect(main.documents.edges[0].node.status).toBe("PROCESSING");
    expect(main.documents.edges[1].node).toBe(other); // untouched rows keep their identity
    expect(qc.getQueryData<DocumentListResult>(filtered)!.documents.edges[0].node.status).toBe("PROCESSING");
    const after = qc.getQueryData<DocumentCountsQuery>(queryKeys.counts);
    expect(countOf(after, "QUEUED")).toBe(1);
    expect(countOf(after, "PROCESSING")).toBe(1);
    expect(calls.countsChanged).toBe(1);
  });

  it("keeps the counts right through duplicates and late events", () => {
    qc.setQueryData(firstPage, page(row("a"), row("b")));
    qc.setQueryData(queryKeys.counts, counts({ QUEUED: 2 }));
    const store = new LiveStore();
    const { scheduler } = recordingScheduler();

    receive(
      store,
      scheduler,
      event(1, "a", "PROCESSING", { type: "JOB_STARTED" }),
      event(2, "b", "PROCESSING", { type: "JOB_STARTED" }),
      event(2, "b", "PROCESSING", { type: "JOB_STARTED" }), // duplicate (replay after reconnect)
      event(3, "a", "COMPLETED"),
      event(1, "a", "PROCESSING", { type: "JOB_STARTED" }), // duplicate of an older event, late
    );

    const after = qc.getQueryData<DocumentCountsQuery>(queryKeys.counts);
    expect(countOf(after, "QUEUED")).toBe(0);
    expect(countOf(after, "PROCESSING")).toBe(1);
    expect(countOf(after, "COMPLETED")).toBe(1);
    const rows = qc.getQueryData<DocumentListResult>(firstPage)!.documents.edges.map((e) => e.node.status);
    expect(rows).toEqual(["COMPLETED", "PROCESSING"]);
  });

  it("progress events move no count and ask for no count refresh", () => {
    qc.setQueryData(firstPage, page(row("a", "PROCESSING")));
    qc.setQueryData(queryKeys.counts, counts({ PROCESSING: 1 }));
    const before = qc.getQueryData(queryKeys.counts);
    const { calls, scheduler } = recordingScheduler();

    applyJobEvent(qc, event(1, "a", "PROCESSING", { type: "DOCUMENT_PARSING_COMPLETED", progress: 55 }), scheduler);

    expect(qc.getQueryData(queryKeys.counts)).toBe(before);
    expect(calls.countsChanged).toBe(0);
    expect(qc.getQueryData<DocumentListResult>(firstPage)!.documents.edges[0].node.latestJob?.progress).toBe(55);
  });

  it("asks for a list refresh only for a new upload it does not hold", () => {
    qc.setQueryData(firstPage, page(row("a")));
    const { calls, scheduler } = recordingScheduler();

    applyJobEvent(qc, event(1, "new", "QUEUED"), scheduler);
    applyJobEvent(qc, event(2, "elsewhere", "QUEUED", { attempt: 2 }), scheduler); // a retry, not an upload
    applyJobEvent(qc, event(3, "elsewhere", "PROCESSING", { type: "JOB_STARTED" }), scheduler);

    expect(calls.newDocument).toEqual(["new"]);
    expect(calls.documentSettled).toEqual([]);
  });

  it("asks for the row's extracted fields when a cached document's job finishes", () => {
    qc.setQueryData(firstPage, page(row("a", "PROCESSING")));
    const { calls, scheduler } = recordingScheduler();

    applyJobEvent(qc, event(1, "a", "COMPLETED"), scheduler);
    applyJobEvent(qc, event(2, "gone", "COMPLETED"), scheduler);

    expect(calls.documentSettled).toEqual(["a"]);
  });

  it("appends to the open review screen's timeline", () => {
    qc.setQueryData(queryKeys.document("a"), detail("a", [event(1, "a", "PROCESSING")]));
    const { scheduler } = recordingScheduler();

    applyJobEvent(qc, event(2, "a", "PROCESSING", { progress: 70 }), scheduler);

    const doc = qc.getQueryData<DocumentDetailByIdQuery>(queryKeys.document("a"))?.document;
    expect(doc?.latestJob?.events.map((e) => e.id)).toEqual(["1", "2"]);
    expect(doc?.latestJob?.progress).toBe(70);
  });
});

describe("applyQueueLength", () => {
  it("keeps the length and re-reads the lists only when the queue shrank", () => {
    const store = new LiveStore();
    const { calls, scheduler } = recordingScheduler();
    let notified = 0;
    store.subscribe(() => {
      notified += 1;
    });
    applyQueueLength(store, 3, scheduler); // the first value: nothing to compare with
    applyQueueLength(store, 4, scheduler); // a job completed: its event moved the rows already
    applyQueueLength(store, 4, scheduler); // no change: nobody is told
    expect([store.queueLength, calls.listsChanged, notified]).toEqual([4, 0, 2]);
    applyQueueLength(store, 2, scheduler); // two finalized elsewhere: no event says which
    expect([store.queueLength, calls.listsChanged, notified]).toEqual([2, 1, 3]);
  });
});
