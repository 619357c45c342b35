"use client";

import { useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useCallback, useEffect, useRef, useState, type DragEvent } from "react";
import type { DocumentStatus, JobStatus } from "@/gql/graphql";
import { useConfig } from "@/lib/config";
import { formatBytes, humanize } from "@/lib/format";
import { queryKeys } from "@/lib/query-keys";
import { useLiveDocument } from "@/lib/live/hooks";
import { uploadFile, UploadError, type UploadHandle } from "./upload";
import { ProgressBar } from "@/components/ProgressBar";
import { StatusBadge } from "@/components/StatusBadge";

const CONCURRENT_UPLOADS = 3;

type Item = {
  key: string;
  name: string;
  size: number;
  phase: "waiting" | "uploading" | "uploaded" | "rejected" | "error";
  progress: number;
  documentId?: string;
  initialStatus?: DocumentStatus;
  reason?: { code: string; message: string };
};

let counter = 0;

export function Uploader() {
  const config = useConfig();
  const qc = useQueryClient();
  const [items, setItems] = useState<Item[]>([]);
  const [dragging, setDragging] = useState(false);
  const queue = useRef<{ key: string; file: File }[]>([]);
  const active = useRef(new Map<string, UploadHandle>());
  const inputRef = useRef<HTMLInputElement>(null);

  const update = useCallback((key: string, patch: Partial<Item>) => {
    setItems((current) => current.map((item) => (item.key === key ? { ...item, ...patch } : item)));
  }, []);

  const pump = useCallback(() => {
    const run = () => {
      while (active.current.size < CONCURRENT_UPLOADS && queue.current.length > 0) {
        const next = queue.current.shift();
        if (!next) break;
        const { key, file } = next;
        update(key, { phase: "uploading", progress: 0 });
        const handle = uploadFile(config, file, (fraction) => update(key, { progress: fraction * 100 }));
        active.current.set(key, handle);
        handle.promise
          .then((outcome) => {
            const doc = outcome.documents[0];
            const rejected = outcome.rejected[0];
            if (doc) {
              update(key, { phase: "uploaded", progress: 100, documentId: doc.id, initialStatus: doc.status });
            } else if (rejected) {
              update(key, { phase: "rejected", progress: 100, reason: { code: rejected.code, message: rejected.message } });
            } else {
              update(key, { phase: "error", reason: { code: "UNKNOWN", message: "The API accepted nothing and rejected nothing." } });
            }
          })
          .catch((error: unknown) => {
            const reason =
              error instanceof UploadError
                ? { code: error.code, message: error.message }
                : { code: "UPLOAD_FAILED", message: String(error) };
            update(key, { phase: "error", reason });
          })
          .finally(() => {
            active.current.delete(key);
            if (active.current.size === 0 && queue.current.length === 0) {
              void qc.invalidateQueries({ queryKey: queryKeys.documentsRoot });
              void qc.invalidateQueries({ queryKey: queryKeys.counts });
            }
            run();
          });
      }
    };
    run();
  }, [config, qc, update]);

  useEffect(() => {
    const handles = active.current;
    return () => {
      for (const handle of handles.values()) handle.abort();
    };
  }, []);

  const addFiles = (files: FileList | File[] | null) => {
    if (!files) return;
    const list = Array.from(files);
    if (list.length === 0) return;
    const added: Item[] = list.map((file) => {
      counter += 1;
      const key = `${Date.now()}-${counter}`;
      queue.current.push({ key, file });
      return { key, name: file.name, size: file.size, phase: "waiting", progress: 0 };
    });
    setItems((current) => [...added, ...current]);
    pump();
  };

  const onDrop = (event: DragEvent<HTMLDivElement>) => {
    event.preventDefault();
    setDragging(false);
    addFiles(event.dataTransfer.files);
  };

  const waiting = items.filter((i) => i.phase === "waiting" || i.phase === "uploading").length;

  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Upload invoices</h1>
        <p className="text-sm text-slate-600">
          PDF files or e-invoice XML (XRechnung, ZUGFeRD/Factur-X, UBL), one or many. Each is checked and queued on its own; a rejected file never blocks the others.
        </p>
      </div>

      <div
        onDragOver={(event) => {
          event.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
        data-testid="dropzone"
        className={`flex flex-col items-center justify-center gap-3 rounded-xl border-2 border-dashed px-6 py-12 text-center transition-colors ${
          dragging ? "border-indigo-500 bg-indigo-50" : "border-slate-300 bg-white"
        }`}
      >
        <p className="text-base font-medium text-slate-800">Drag and drop PDFs or XML invoices here</p>
        <p className="text-sm text-slate-500">or</p>
        <label
          htmlFor="upload-input"
          className="cursor-pointer rounded-md bg-indigo-600 px-4 py-2 text-sm font-medium text-white focus-within:outline focus-within:outline-2 focus-within:outline-offset-2 focus-within:outline-indigo-600 hover:bg-indigo-700"
        >
          Choose files
          <input
            ref={inputRef}
            id="upload-input"
            type="file"
            accept="application/pdf,.pdf,application/xml,text/xml,.xml"
            multiple
            data-testid="upload-input"
            className="sr-only"
            onChange={(event) => {
              addFiles(event.target.files);
              event.target.value = "";
            }}
          />
        </label>
      </div>

      <section aria-labelledby="uploads-heading" className="space-y-2">
        <div className="flex items-baseline justify-between">
          <h2 id="uploads-heading" className="text-lg font-semibold">
            This session&apos;s uploads
          </h2>
          <p className="text-sm text-slate-600" aria-live="polite">
            {items.length === 0 ? "" : waiting > 0 ? `${waiting} uploading…` : "All files sent."}{" "}
            {items.length > 0 ? (
              <Link href="/" className="font-medium text-indigo-700 underline" data-testid="to-dashboard">
                Go to the dashboard
              </Link>
            ) : null}
          </p>
        </div>
        {items.length === 0 ? (
          <p className="rounded-lg border border-slate-200 bg-white p-6 text-center text-sm text-slate-500" data-testid="upload-empty">
            Nothing uploaded yet.
          </p>
        ) : (
          <ul className="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white" data-testid="upload-list">
            {items.map((item) => (
              <UploadRow key={item.key} item={item} />
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}

function UploadRow({ item }: { item: Item }) {
  const live = useLiveDocument(item.documentId);
  const status: DocumentStatus | JobStatus | undefined = live?.status ?? item.initialStatus;

  let body;
  if (item.phase === "waiting" || item.phase === "uploading") {
    body = (
      <>
        <ProgressBar value={item.progress} label={`Upload of ${item.name}`} testId="upload-progress" />
        <p className="mt-1 text-xs tabular-nums text-slate-500">
          {item.phase === "waiting" ? "Waiting…" : `Uploading ${Math.round(item.progress)}%`}
        </p>
      </>
    );
  } else if (item.phase === "rejected" || item.phase === "error") {
    body = (
      <p className="text-sm text-rose-700" role="alert" data-testid="upload-reason" data-code={item.reason?.code}>
        <span className="font-medium">{item.phase === "rejected" ? "Rejected" : "Upload failed"}:</span> {item.reason?.message}
        {item.reason?.code ? <span className="ml-1 text-xs text-rose-500">({item.reason.code})</span> : null}
      </p>
    );
  } else {
    const progress = status === "COMPLETED" || status === "FINALIZED" ? 100 : (live?.progress ?? 0);
    body = (
      <>
        <ProgressBar
          value={progress}
          tone={status === "FAILED" ? "failed" : status === "COMPLETED" ? "done" : "active"}
          label={`Processing of ${item.name}`}
        />
        <p
          className={`mt-1 h-4 truncate text-xs ${status === "FAILED" ? "text-rose-700" : "text-slate-500"}`}
          title={status === "FAILED" ? (live?.message ?? undefined) : undefined}
          data-testid={status === "FAILED" ? "upload-error" : "upload-stage"}
        >
          {status === "FAILED"
            ? (live?.message ?? "Processing failed")
            : status === "COMPLETED"
              ? "Ready for review"
              : live?.stage
                ? humanize(live.stage)
                : "Queued"}
        </p>
      </>
    );
  }

  return (
    <li
      className="grid grid-cols-[minmax(0,1fr)_minmax(0,14rem)_7.5rem_5rem] items-center gap-4 px-4 py-3 max-md:grid-cols-[minmax(0,1fr)_7.5rem] max-md:gap-2"
      data-testid="upload-item"
      data-filename={item.name}
      data-phase={item.phase}
    >
      <div className="min-w-0">
        <p className="truncate text-sm font-medium" title={item.name}>
          {item.name}
        </p>
        <p className="text-xs tabular-nums text-slate-500">{formatBytes(item.size)}</p>
      </div>
      <div className="max-md:col-span-2 max-md:row-start-2">{body}</div>
      <div className="max-md:col-start-2 max-md:row-start-1">
        {item.phase === "uploaded" && status ? (
          <StatusBadge status={status} />
        ) : item.phase === "rejected" ? (
          <span className="inline-flex w-24 justify-center rounded-full bg-rose-50 px-2 py-0.5 text-xs font-medium text-rose-800 ring-1 ring-rose-300 ring-inset" data-testid="status-badge" data-status="REJECTED">
            Rejected
          </span>
        ) : null}
      </div>
      <div className="text-right max-md:hidden">
        {item.documentId ? (
          <Link href={`/documents/${item.documentId}`} className="text-sm font-medium text-indigo-700 hover:underline" aria-label={`Open ${item.name}`}>
            Open
          </Link>
        ) : null}
      </div>
    </li>
  );
}
