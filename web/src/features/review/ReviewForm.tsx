"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useCallback, useEffect, useRef, useState } from "react";
import { useForm, useWatch } from "react-hook-form";
import type { DocumentDetailByIdQuery, DocumentDetailFragment } from "@/gql/graphql";
import { apiHref, useConfig } from "@/lib/config";
import { useCan } from "@/lib/auth/session";
import {
  changedFields,
  emptyLineRow,
  emptyTaxRow,
  FIELD_NAMES,
  FIELDS,
  LINE_COLUMNS,
  liveChecks,
  MAX_LINE_ITEMS,
  MAX_TAX_RATES,
  TAX_COLUMNS,
  toFormValues,
  validateField,
  type FieldName,
  type FormValues,
} from "./fields";
import { ChecksList, failedByField, mergeChecks } from "./ChecksList";
import { RowsTable } from "./RowsTable";
import { formatDateTime } from "@/lib/format";
import { errorMessage, gqlRequest } from "@/lib/graphql";
import { queryKeys } from "@/lib/query-keys";
import { DocumentDetailQuery, FinalizeDocumentMutation, ReviewDocumentMutation } from "./operations";
import { ConfirmDialog } from "./ConfirmDialog";
import type { Highlight } from "./PdfViewer";
import { fieldAttention, nextAttention, type Attention } from "./attention";
import { ShortcutsDialog } from "./ShortcutsDialog";

type Extraction = NonNullable<DocumentDetailFragment["extraction"]>;

type Notice =
  | { kind: "saved" }
  | { kind: "finalized" }
  | { kind: "conflict"; message: string; currentVersion: number }
  | { kind: "error"; message: string }
  | null;

/** What the finalize confirmation asks: the plain one, or the one for a possible duplicate. */
type Confirming = null | { kind: "finalize" } | { kind: "duplicate"; message: string };

/** True when a key press is typing into something (then letter shortcuts must not fire). */
function isEditing(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName);
}

export function ReviewForm({
  doc,
  extraction,
  onFocusField,
  threshold = 0.8,
  onSaved,
  onFinalized,
  onQueue,
}: {
  doc: DocumentDetailFragment;
  extraction: Extraction;
  onFocusField: (highlight: Highlight) => void;
  /** Fields extracted with less confidence need attention (reviewSettings.confidenceThreshold). */
  threshold?: number;
  /** Called after a plain save (Enter) of this form (from the queue, the screen opens the next one). */
  onSaved?: () => void;
  /** Called after this call finalized the document (the screen opens the next one). */
  onFinalized?: () => void;
  /** J / K: the next or previous document in the review queue. */
  onQueue?: (direction: "next" | "previous") => void;
}) {
  const config = useConfig();
  const qc = useQueryClient();
  const can = useCan();
  const finalized = extraction.isFinalized || doc.status === "FINALIZED";
  // Only roles that may review edit, save and finalize; the others see the record read-only.
  const readOnly = finalized || !can("review");

  // The version and values this form's edits are based on; only a save or an explicit reload moves them.
  const [base, setBase] = useState(() => ({ version: extraction.version, values: toFormValues(extraction.fields) }));
  const [notice, setNotice] = useState<Notice>(null);
  const [confirming, setConfirming] = useState<Confirming>(null);
  const [showShortcuts, setShowShortcuts] = useState(false);
  // Ctrl+Enter with unsaved edits: save first, then ask to finalize.
  const finalizeAfterSave = useRef(false);
  // Shift+Enter: save, then open the next document in the queue.
  const nextAfterSave = useRef(false);
  const focusedField = useRef<FieldName | null>(null);
  const formRef = useRef<HTMLFormElement>(null);

  const form = useForm<FormValues>({ defaultValues: base.values, mode: "onBlur" });
  const { register, handleSubmit, reset, setError, control, formState } = form;
  const values = useWatch({ control }) as FormValues;
  const extracted = toFormValues(extraction.extracted);
  const checks = mergeChecks(liveChecks(values), extraction.checks);
  const failed = failedByField(checks);

  const setDetail = (document: DocumentDetailFragment) => {
    qc.setQueryData<DocumentDetailByIdQuery>(queryKeys.document(doc.id), { document });
    // Then read it again: a mutation's answer may not list its own history entry yet.
    void qc.invalidateQueries({ queryKey: queryKeys.document(doc.id) });
    void qc.invalidateQueries({ queryKey: queryKeys.documentsRoot });
    void qc.invalidateQueries({ queryKey: queryKeys.counts });
  };

  const adopt = (document: DocumentDetailFragment) => {
    const next = toFormValues(document.extraction?.fields);
    setBase({ version: document.extraction?.version ?? base.version, values: next });
    reset(next);
  };

  const save = useMutation({
    mutationFn: (input: FormValues) =>
      gqlRequest(config, ReviewDocumentMutation, {
        input: { documentId: doc.id, fields: changedFields(input, base.values), expectedVersion: base.version },
      }),
    onSuccess: ({ reviewDocument: result }) => {
      switch (result.__typename) {
        case "ReviewDocumentSuccess":
          setDetail(result.document);
          adopt(result.document);
          setNotice({ kind: "saved" });
          if (finalizeAfterSave.current && result.document.status === "COMPLETED") setConfirming({ kind: "finalize" });
          else if (nextAfterSave.current) onQueue?.("next");
          else if (!finalizeAfterSave.current) onSaved?.();
          finalizeAfterSave.current = false;
          nextAfterSave.current = false;
          return;
        case "VersionConflictError":
          setNotice({ kind: "conflict", message: result.message, currentVersion: result.currentVersion });
          return;
        case "ValidationError":
          // "lineItems[3].unitPrice" names a cell: the form's path is "lineItems.3.unitPrice".
          if (result.field && FIELD_NAMES.has(result.field.split(/[[.]/)[0])) {
            const path = result.field.replace(/\[(\d+)\]/g, ".$1") as FieldName;
            setError(path, { type: "server", message: result.message }, { shouldFocus: true });
            setNotice(null);
          } else {
            setNotice({ kind: "error", message: result.message });
          }
          return;
        default:
          setNotice({ kind: "error", message: result.message });
      }
    },
    onError: (error) => {
      finalizeAfterSave.current = false;
      nextAfterSave.current = false;
      setNotice({ kind: "error", message: errorMessage(error) });
    },
  });

  const reload = useMutation({
    mutationFn: () => gqlRequest(config, DocumentDetailQuery, { id: doc.id }),
    onSuccess: ({ document }) => {
      if (!document) {
        setNotice({ kind: "error", message: "The document no longer exists." });
        return;
      }
      qc.setQueryData<DocumentDetailByIdQuery>(queryKeys.document(doc.id), { document });
      adopt(document);
      setNotice(null);
    },
    onError: (error) => setNotice({ kind: "error", message: errorMessage(error) }),
  });

  const finalize = useMutation({
    mutationFn: (confirmDuplicate: boolean) =>
      gqlRequest(config, FinalizeDocumentMutation, { id: doc.id, confirmDuplicate }),
    onSuccess: ({ finalizeDocument: result }) => {
      setConfirming(null);
      if (result.__typename === "FinalizeDocumentSuccess") {
        setDetail(result.document);
        adopt(result.document);
        setNotice({ kind: "finalized" });
        onFinalized?.();
      } else if (result.__typename === "DuplicateSuspectedError") {
        // A second, explicit confirmation; the API records it in the history.
        setConfirming({ kind: "duplicate", message: result.message });
      } else {
        setNotice({ kind: "error", message: result.message });
      }
    },
    onError: (error) => {
      setConfirming(null);
      setNotice({ kind: "error", message: errorMessage(error) });
    },
  });

  const evidenceFor = (name: FieldName) => extraction.evidence.find((e) => e.field === name);
  const focusField = (name: FieldName, label: string) => {
    const ev = evidenceFor(name);
    onFocusField(ev && ev.page && ev.bbox && ev.bbox.length === 4 ? { page: ev.page, bbox: ev.bbox, label } : null);
  };

  const canFinalize = doc.status === "COMPLETED" && !formState.isDirty && !readOnly;

  const attention = new Map<FieldName, Attention[]>();
  if (!finalized) {
    for (const field of FIELDS) {
      const marks = fieldAttention({
        name: field.name,
        value: values[field.name] ?? "",
        extractedValue: extracted[field.name],
        evidence: evidenceFor(field.name),
        failedCheck: failed.get(field.name),
        threshold,
      });
      if (marks.length) attention.set(field.name, marks);
    }
  }
  // The API's one rule (api/services/fields.py checks_hold): at least one check ran, all passed.
  const allChecksHold = checks.length > 0 && checks.every((c) => c.passed);

  const jumpToAttention = useCallback(() => {
    const order = FIELDS.map((f) => f.name);
    const target = nextAttention(order, new Set(attention.keys()), focusedField.current);
    if (target) document.getElementById(`field-${target}`)?.focus();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [attention.size, values]);

  const askToFinalize = useCallback(() => {
    if (readOnly || doc.status !== "COMPLETED" || finalize.isPending) return;
    if (formState.isDirty) {
      finalizeAfterSave.current = true;
      formRef.current?.requestSubmit();
    } else {
      setConfirming({ kind: "finalize" });
    }
  }, [readOnly, doc.status, finalize.isPending, formState.isDirty]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (confirming || showShortcuts || event.defaultPrevented) return;
      const editing = isEditing(event.target);
      const key = event.key;
      if (key === "Enter" && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        askToFinalize();
        return;
      }
      if (key === "Enter" && event.shiftKey && !(event.target instanceof HTMLButtonElement)) {
        event.preventDefault();
        if (!readOnly && formState.isDirty) {
          nextAfterSave.current = true;
          formRef.current?.requestSubmit();
        } else {
          onQueue?.("next");
        }
        return;
      }
      if (event.altKey && (key === "n" || key === "N" || event.code === "KeyN")) {
        event.preventDefault();
        jumpToAttention();
        return;
      }
      if (key === "Escape" && editing && event.target instanceof HTMLElement) {
        event.target.blur();
        return;
      }
      if (editing || event.ctrlKey || event.metaKey || event.altKey) return;
      if (key === "?") setShowShortcuts(true);
      else if (key === "n" || key === "N" || key === ".") jumpToAttention();
      else if (key === "j" || key === "J") onQueue?.("next");
      else if (key === "k" || key === "K") onQueue?.("previous");
      else if (key === "f" || key === "F") askToFinalize();
      else return;
      event.preventDefault();
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [confirming, showShortcuts, askToFinalize, jumpToAttention, onQueue, readOnly, formState.isDirty]);

  return (
    <section aria-labelledby="fields-heading" className="@container rounded-lg border border-slate-200 bg-white p-5">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id="fields-heading" className="text-lg font-semibold">
          Invoice fields
        </h2>
        <p className="text-xs tabular-nums text-slate-500" data-testid="extraction-version">
          version {base.version}
          {extraction.reviewed ? " · reviewed" : " · machine extracted"}
        </p>
      </div>

      {finalized ? (
        <div className="mt-3 rounded-md border border-indigo-200 bg-indigo-50 p-3 text-sm text-indigo-900" data-testid="finalized-notice">
          <p>
            Finalized {formatDateTime(extraction.finalizedAt)}. This record is read-only.
          </p>
          {can("export") ? (
          <p className="mt-2 flex gap-2">
            <a
              href={apiHref(config, `/api/documents/${doc.id}/export/json`)}
              data-testid="export-json"
              className="rounded-md border border-indigo-300 bg-white px-3 py-1.5 font-medium hover:bg-indigo-100"
            >
              Export JSON
            </a>
            <a
              href={apiHref(config, `/api/documents/${doc.id}/export/csv`)}
              data-testid="export-csv"
              className="rounded-md border border-indigo-300 bg-white px-3 py-1.5 font-medium hover:bg-indigo-100"
            >
              Export CSV
            </a>
          </p>
          ) : null}
        </div>
      ) : null}

      <NoticeBanner notice={notice} onReload={() => reload.mutate()} reloading={reload.isPending} />

      {doc.possibleDuplicates.length > 0 ? (
        <div role="note" className="mt-3 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900" data-testid="possible-duplicates">
          <p className="font-medium">Possible duplicate</p>
          <p className="mt-1">
            Same invoice number, total and vendor or VAT id as{" "}
            {doc.possibleDuplicates.map((d, i) => (
              <span key={d.id}>
                {i > 0 ? ", " : ""}
                <Link href={`/documents/${d.id}`} className="font-medium underline" data-testid="duplicate-link">
                  {d.originalFilename}
                </Link>{" "}
                ({d.status.toLowerCase()})
              </span>
            ))}
            . Finalizing it needs your explicit confirmation.
          </p>
        </div>
      ) : null}

      {!finalized ? (
        <div className="mt-3 flex flex-wrap items-center gap-x-4 gap-y-1 text-sm" data-testid="attention-summary">
          {allChecksHold ? (
            <p className="font-medium text-emerald-800" data-testid="checks-hold">
              ✓ All checks hold
            </p>
          ) : null}
          <p className={attention.size ? "text-amber-800" : "text-slate-600"} data-testid="attention-count" data-count={attention.size}>
            {attention.size
              ? `${attention.size} field${attention.size === 1 ? "" : "s"} need${attention.size === 1 ? "s" : ""} attention`
              : "No field needs attention"}
          </p>
          <button
            type="button"
            onClick={() => setShowShortcuts(true)}
            className="text-xs text-indigo-700 underline"
            data-testid="shortcuts-button"
          >
            Keyboard shortcuts (?)
          </button>
        </div>
      ) : null}

      <form
        ref={formRef}
        noValidate
        onSubmit={handleSubmit((v) => {
          setNotice(null);
          save.mutate(v);
        })}
        className="mt-4 space-y-4"
        data-testid="review-form"
        aria-describedby="fields-help"
      >
        <p id="fields-help" className="sr-only">
          Focus a field to outline where its value was found in the document.
        </p>
        <div className="grid gap-4 @md:grid-cols-2">
          {FIELDS.map((field) => {
            const error = formState.errors[field.name];
            const current = values[field.name] ?? "";
            const changedFromExtracted = current.trim() !== extracted[field.name].trim();
            const failedCheck = failed.get(field.name);
            const ev = evidenceFor(field.name);
            const inputId = `field-${field.name}`;
            const marks = attention.get(field.name);
            // The note line below the field says an error, else the extracted value of a changed
            // field, else a failed check; the attention line says the rest.
            const noteSaysCheck = !error && !changedFromExtracted && !!failedCheck;
            const attentionText =
              marks?.filter((m) => !(noteSaysCheck && m.kind === "check-failed")).map((m) => m.text) ?? [];
            return (
              <div key={field.name} className="min-w-0">
                <div className="flex items-baseline justify-between gap-2">
                  <label htmlFor={inputId} className="text-sm font-medium text-slate-800">
                    {field.label}
                    {marks ? (
                      <span aria-hidden className="ml-1.5 rounded bg-amber-100 px-1 text-[11px] font-semibold text-amber-900">
                        !
                      </span>
                    ) : null}
                  </label>
                  {ev ? (
                    <span className="text-[11px] tabular-nums text-slate-600" title={`Source: ${ev.source}`}>
                      {Math.round(ev.confidence * 100)}% · {ev.source}
                    </span>
                  ) : null}
                </div>
                <input
                  id={inputId}
                  type={field.kind === "date" ? "date" : "text"}
                  inputMode={field.kind === "amount" ? "decimal" : undefined}
                  autoComplete="off"
                  readOnly={readOnly}
                  aria-invalid={error ? true : undefined}
                  aria-describedby={attentionText.length ? `${inputId}-note ${inputId}-attention` : `${inputId}-note`}
                  data-attention={marks ? marks.map((m) => m.kind).join(" ") : undefined}
                  placeholder={field.hint}
                  data-testid={`field-${field.name}`}
                  className={`mt-1 w-full rounded-md border px-3 py-2 text-sm shadow-sm ${
                    field.kind === "amount" ? "text-right tabular-nums" : ""
                  } ${
                    error
                      ? "border-rose-400 bg-rose-50"
                      : failedCheck
                        ? "border-rose-400"
                        : changedFromExtracted
                          ? "border-amber-400"
                          : marks
                            ? "border-amber-500 ring-1 ring-amber-300"
                            : "border-slate-300"
                  } ${
                    readOnly ? "bg-slate-50 text-slate-700" : "bg-white"
                  }`}
                  data-check-failed={failedCheck ? true : undefined}
                  {...register(field.name, {
                    validate: (value) => validateField(field.kind, value as string, field.limit),
                    setValueAs: (value: string) =>
                      ["currency", "bic", "vatId", "iban"].includes(field.kind) ? value.trim().toUpperCase() : value,
                  })}
                  onFocus={() => {
                    focusedField.current = field.name;
                    focusField(field.name, field.label);
                  }}
                />
                {attentionText.length ? (
                  <p id={`${inputId}-attention`} className="mt-1 text-xs leading-4 text-amber-900" data-testid={`attention-${field.name}`}>
                    {attentionText.join(" · ")}
                  </p>
                ) : null}
                {/* One reserved line: an error or the extracted value, so the form never jumps. */}
                <p id={`${inputId}-note`} className="mt-1 min-h-4 truncate text-xs leading-4" aria-live="polite">
                  {error ? (
                    <span className="text-rose-700" data-testid={`field-error-${field.name}`}>
                      {error.message || "Invalid value"}
                    </span>
                  ) : changedFromExtracted ? (
                    <span className="text-amber-800" data-testid={`extracted-${field.name}`}>
                      Extracted: {extracted[field.name] || "(empty)"}
                    </span>
                  ) : failedCheck ? (
                    <span className="text-rose-700" data-testid={`check-mark-${field.name}`}>
                      Check failed: {failedCheck}
                    </span>
                  ) : null}
                </p>
              </div>
            );
          })}
        </div>

        <RowsTable
          name="taxBreakdown"
          title="Tax by rate"
          columns={TAX_COLUMNS}
          control={control}
          register={register}
          errors={formState.errors}
          emptyRow={emptyTaxRow}
          maxRows={MAX_TAX_RATES}
          readOnly={readOnly}
          marked={failed.get("taxBreakdown") ?? null}
        />
        <RowsTable
          name="lineItems"
          title="Line items"
          columns={LINE_COLUMNS}
          control={control}
          register={register}
          errors={formState.errors}
          emptyRow={emptyLineRow}
          maxRows={MAX_LINE_ITEMS}
          readOnly={readOnly}
          marked={failed.get("lineItems") ?? null}
        />
        <ChecksList checks={checks} />

        {!readOnly ? (
          <div className="flex flex-wrap items-center gap-2 border-t border-slate-100 pt-4">
            <button
              type="submit"
              disabled={save.isPending || !formState.isDirty}
              data-testid="save-button"
              className="rounded-md bg-indigo-600 px-4 py-2 text-sm font-medium text-white hover:bg-indigo-700 disabled:opacity-50"
            >
              {save.isPending ? "Saving…" : "Save"}
            </button>
            <button
              type="button"
              disabled={!formState.isDirty || save.isPending}
              onClick={() => {
                reset(base.values);
                setNotice(null);
              }}
              data-testid="discard-button"
              className="rounded-md border border-slate-300 bg-white px-4 py-2 text-sm font-medium hover:bg-slate-50 disabled:opacity-50"
            >
              Discard changes
            </button>
            <span className="flex-1" />
            <button
              type="button"
              disabled={!canFinalize || finalize.isPending}
              onClick={() => setConfirming({ kind: "finalize" })}
              data-testid="finalize-button"
              title={formState.isDirty ? "Save or discard your changes first" : undefined}
              className="rounded-md border border-emerald-600 bg-white px-4 py-2 text-sm font-medium text-emerald-800 hover:bg-emerald-50 disabled:opacity-50"
            >
              Finalize…
            </button>
          </div>
        ) : null}
      </form>

      <ConfirmDialog
        open={confirming !== null}
        title={confirming?.kind === "duplicate" ? "Finalize a possible duplicate?" : "Finalize this record?"}
        confirmLabel={confirming?.kind === "duplicate" ? "Finalize anyway" : "Finalize"}
        busy={finalize.isPending}
        onConfirm={() => finalize.mutate(confirming?.kind === "duplicate")}
        onCancel={() => setConfirming(null)}
      >
        {confirming?.kind === "duplicate" ? (
          <span data-testid="duplicate-warning">{confirming.message}. Your confirmation is recorded in the history.</span>
        ) : (
          "Finalized records are read-only and are included in exports. This cannot be undone."
        )}
      </ConfirmDialog>
      <ShortcutsDialog open={showShortcuts} onClose={() => setShowShortcuts(false)} />
    </section>
  );
}

function NoticeBanner({ notice, onReload, reloading }: { notice: Notice; onReload: () => void; reloading: boolean }) {
  if (!notice) return null;
  if (notice.kind === "saved" || notice.kind === "finalized") {
    return (
      <p role="status" className="mt-3 rounded-md bg-emerald-50 p-3 text-sm text-emerald-900" data-testid={`notice-${notice.kind}`}>
        {notice.kind === "saved" ? "Saved." : "Finalized."}
      </p>
    );
  }
  if (notice.kind === "conflict") {
    return (
      <div role="alert" className="mt-3 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900" data-testid="version-conflict">
        <p className="font-medium">Someone else saved this document while you were editing.</p>
        <p className="mt-1">
          {notice.message} Your changes were not saved. Reload to see the current values (version {notice.currentVersion}); your
          unsaved edits will be replaced.
        </p>
        <button
          type="button"
          onClick={onReload}
          disabled={reloading}
          data-testid="reload-button"
          className="mt-2 rounded-md border border-amber-400 bg-white px-3 py-1.5 font-medium hover:bg-amber-100 disabled:opacity-60"
        >
          {reloading ? "Reloading…" : "Reload latest"}
        </button>
      </div>
    );
  }
  return (
    <p role="alert" className="mt-3 rounded-md border border-rose-200 bg-rose-50 p-3 text-sm text-rose-900" data-testid="form-error">
      {notice.message}
    </p>
  );
}
