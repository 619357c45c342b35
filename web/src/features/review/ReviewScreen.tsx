"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import type { DocumentDetailFragment } from "@/gql/graphql";
import { apiHref, useConfig } from "@/lib/config";
import { formatBytes, formatDateTime, humanize } from "@/lib/format";
import { errorMessage, gqlRequest } from "@/lib/graphql";
import { useJobAction } from "@/lib/job-actions";
import { useCan } from "@/lib/auth/session";
import { queryKeys } from "@/lib/query-keys";
import { openedFromQueue, useQueueNavigation } from "@/lib/review-queue";
import { DocumentDetailQuery, ReviewSettingsQuery } from "./operations";
import { InvoiceRendering } from "./InvoiceRendering";
import { PdfViewer, type Highlight } from "./PdfViewer";
import { ProgressBar } from "@/components/ProgressBar";
import { ReviewForm } from "./ReviewForm";
import { EmptyState, ErrorState, Spinner } from "@/components/States";
import { StatusBadge } from "@/components/StatusBadge";
import { Timeline } from "./Timeline";
import { History } from "./History";

export function ReviewScreen({ id }: { id: string }) {
  const config = useConfig();
  const query = useQuery({
    queryKey: queryKeys.document(id),
    queryFn: () => gqlRequest(config, DocumentDetailQuery, { id }),
  });
  const [highlight, setHighlight] = useState<Highlight>(null);
  const settings = useQuery({
    queryKey: queryKeys.reviewSettings,
    queryFn: () => gqlRequest(config, ReviewSettingsQuery),
    staleTime: 5 * 60_000,
  });
  const queue = useQueueNavigation();
  // Opened from the queue, a save or a finalize moves on to the next document by itself.
  const advance = () => {
    if (openedFromQueue() && query.data?.document) void queue.go("next", query.data.document.id);
  };

  if (query.isPending) {
    return <Spinner label="Loading document…" />;
  }
  if (query.isError) {
    return <ErrorState title="Could not load the document" message={errorMessage(query.error)} onRetry={() => void query.refetch()} />;
  }
  const doc = query.data.document;
  if (!doc) {
    return (
      <EmptyState title="Document not found">
        It may have been removed.{" "}
        <Link href="/" className="font-medium text-indigo-700 underline">
          Back to the dashboard
        </Link>
      </EmptyState>
    );
  }

  const fileUrl = apiHref(config, doc.fileUrl || `/api/documents/${doc.id}/file`);

  return (
    <div className="space-y-5">
      <Header doc={doc} />
      <QueueBar
        busy={queue.busy}
        message={queue.message}
        onNext={() => void queue.go("next", doc.id)}
        onPrevious={() => void queue.go("previous", doc.id)}
      />
      <div className="grid gap-6 md:grid-cols-2 lg:grid-cols-[minmax(0,1.15fr)_minmax(0,1fr)]">
        <section aria-label="Original document" tabIndex={0} className="min-w-0 md:sticky md:top-4 md:max-h-[calc(100vh-2rem)] md:self-start md:overflow-y-auto">
          {doc.mimeType === XML_MIME ? (
            <XmlDocument doc={doc} fileUrl={fileUrl} />
          ) : (
            <PdfViewer url={fileUrl} highlight={highlight} />
          )}
        </section>
        <div className="min-w-0 space-y-6">
          {doc.extraction ? (
            <ReviewForm
              key={doc.id}
              doc={doc}
              extraction={doc.extraction}
              onFocusField={setHighlight}
              threshold={settings.data?.reviewSettings.confidenceThreshold}
              onSaved={advance}
              onFinalized={advance}
              onQueue={(direction) => void queue.go(direction, doc.id)}
            />
          ) : (
            <NotReady doc={doc} />
          )}
          <Timeline events={doc.latestJob?.events ?? []} />
          <History entries={doc.history} />
        </div>
      </div>
    </div>
  );
}

const XML_MIME = "application/xml";

/** Walk the review queue: previous (K) and next (J); the next one also opens after a finalize. */
function QueueBar({
  busy,
  message,
  onNext,
  onPrevious,
}: {
  busy: boolean;
  message: string | null;
  onNext: () => void;
  onPrevious: () => void;
}) {
  return (
    <nav aria-label="Review queue" className="flex flex-wrap items-center gap-2 text-sm">
      <button
        type="button"
        onClick={onPrevious}
        disabled={busy}
        data-testid="queue-previous"
        className="rounded-md border border-slate-300 bg-white px-3 py-1.5 font-medium hover:bg-slate-50 disabled:opacity-60"
      >
        ← Previous <kbd className="ml-1 font-mono text-xs text-slate-500">K</kbd>
      </button>
      <button
        type="button"
        onClick={onNext}
        disabled={busy}
        data-testid="review-next"
        className="rounded-md bg-indigo-600 px-3 py-1.5 font-medium text-white hover:bg-indigo-700 disabled:opacity-60"
      >
        Review next → <kbd className="ml-1 font-mono text-xs text-indigo-100">J</kbd>
      </button>
      <p role="status" className="text-slate-600" data-testid="queue-message">
        {message ?? ""}
      </p>
    </nav>
  );
}

/** An e-invoice sent as XML has no pages: its data is rendered as an invoice instead, and the
 * file itself is only offered as a download (the API never serves it for inline display). */
function XmlDocument({ doc, fileUrl }: { doc: DocumentDetailFragment; fileUrl: string }) {
  return (
    <div className="space-y-2">
      {doc.extraction ? (
        <InvoiceRendering fields={doc.extraction.fields} filename={doc.originalFilename} />
      ) : (
        <p className="rounded-lg border border-slate-200 bg-white p-6 text-sm text-slate-600">
          The invoice is shown here once its XML has been read.
        </p>
      )}
      <p className="text-xs text-slate-500">
        <a href={fileUrl} download className="font-medium text-indigo-700 underline" data-testid="download-xml">
          Download the XML
        </a>
      </p>
    </div>
  );
}

function Header({ doc }: { doc: DocumentDetailFragment }) {
  const job = doc.latestJob;
  return (
    <div className="flex flex-wrap items-start justify-between gap-3">
      <div className="min-w-0">
        <nav aria-label="Breadcrumb" className="text-sm text-slate-500">
          <Link href="/" className="hover:underline">
            Dashboard
          </Link>{" "}
          / Review
        </nav>
        <h1 className="truncate text-2xl font-semibold tracking-tight" title={doc.originalFilename} data-testid="document-title">
          {doc.originalFilename}
        </h1>
        <p className="text-sm tabular-nums text-slate-600">
          {formatBytes(doc.fileSize)}
          {doc.pageCount ? ` · ${doc.pageCount} page${doc.pageCount === 1 ? "" : "s"}` : ""} · uploaded {formatDateTime(doc.uploadedAt)}
          {job && job.retryCount > 0 ? ` · ${job.retryCount} retr${job.retryCount === 1 ? "y" : "ies"}` : ""}
        </p>
        {doc.duplicateOf ? (
          <p className="mt-1 text-sm text-amber-800">
            Same file as{" "}
            <Link href={`/documents/${doc.duplicateOf.id}`} className="font-medium underline">
              {doc.duplicateOf.originalFilename}
            </Link>
            , uploaded earlier.
          </p>
        ) : null}
      </div>
      <StatusBadge status={doc.status} />
    </div>
  );
}

function NotReady({ doc }: { doc: DocumentDetailFragment }) {
  const job = doc.latestJob;
  const retry = useJobAction("retry", doc.id);
  const cancel = useJobAction("cancel", doc.id);
  const failed = doc.status === "FAILED" || doc.status === "CANCELLED";
  const mayAct = useCan()("review"); // retry and cancel
  const actionMessage =
    (retry.data && !retry.data.ok && retry.data.message) ||
    (cancel.data && !cancel.data.ok && cancel.data.message) ||
    (retry.error && errorMessage(retry.error)) ||
    (cancel.error && errorMessage(cancel.error)) ||
    null;
  return (
    <section aria-labelledby="not-ready-heading" className="space-y-3 rounded-lg border border-slate-200 bg-white p-5">
      <h2 id="not-ready-heading" className="text-lg font-semibold">
        {failed ? (doc.status === "FAILED" ? "Processing failed" : "Processing cancelled") : "Extracting fields…"}
      </h2>
      {failed ? (
        <p className="text-sm text-rose-800" data-testid="job-error">
          {job?.errorMessage ?? "No reason was recorded."}
          {job?.errorCode ? <span className="ml-1 text-xs text-rose-600">({job.errorCode})</span> : null}
        </p>
      ) : (
        <>
          <ProgressBar value={job?.progress ?? 0} label="Processing progress" />
          <p className="h-4 text-xs text-slate-500">{job?.stage ? humanize(job.stage) : "Waiting for a worker"}</p>
        </>
      )}
      {actionMessage ? (
        <p role="alert" className="text-sm text-rose-700">
          {actionMessage}
        </p>
      ) : null}
      {!mayAct ? null : job && failed ? (
        <button
          type="button"
          onClick={() => retry.mutate(job.id)}
          disabled={retry.isPending}
          data-testid="retry-button"
          className="rounded-md bg-indigo-600 px-3 py-2 text-sm font-medium text-white hover:bg-indigo-700 disabled:opacity-60"
        >
          {retry.isPending ? "Retrying…" : "Retry"}
        </button>
      ) : job ? (
        <button
          type="button"
          onClick={() => cancel.mutate(job.id)}
          disabled={cancel.isPending}
          data-testid="cancel-button"
          className="rounded-md border border-slate-300 bg-white px-3 py-2 text-sm font-medium hover:bg-slate-50 disabled:opacity-60"
        >
          {cancel.isPending ? "Cancelling…" : "Cancel processing"}
        </button>
      ) : null}
    </section>
  );
}
