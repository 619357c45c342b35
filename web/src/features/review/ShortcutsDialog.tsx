"use client";

import { useEffect, useId, useRef } from "react";

export const SHORTCUTS: { keys: string[]; what: string }[] = [
  { keys: ["Tab", "Shift+Tab"], what: "Next / previous field (the document shows where its value was found)" },
  { keys: ["Enter"], what: "Save the changes (opened from the queue: then open the next document)" },
  { keys: ["Shift+Enter"], what: "Save, then open the next document in the queue" },
  { keys: ["Ctrl+Enter", "F"], what: "Finalize (saves first; then Enter confirms, Esc cancels)" },
  { keys: ["N", ".", "Alt+N"], what: "Jump to the next field that needs attention" },
  { keys: ["J", "K"], what: "Next / previous document in the review queue" },
  { keys: ["Esc"], what: "Leave the field (then the letter keys work)" },
  { keys: ["?"], what: "This list" },
];

/** The keyboard shortcuts of the review screen, in a modal <dialog> (Esc or Close to leave). */
export function ShortcutsDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      dialog.showModal();
      dialog.querySelector<HTMLButtonElement>("button")?.focus();
    }
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      data-testid="shortcuts-dialog"
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
      className="m-auto w-full max-w-lg rounded-xl border border-slate-200 p-0 shadow-xl"
    >
      <div className="p-5">
        <h2 id={titleId} className="text-lg font-semibold">
          Keyboard shortcuts
        </h2>
        <dl className="mt-3 space-y-2 text-sm">
          {SHORTCUTS.map((s) => (
            <div key={s.what} className="flex gap-3">
              <dt className="w-40 shrink-0 space-x-1">
                {s.keys.map((k) => (
                  <kbd key={k} className="rounded border border-slate-300 bg-slate-50 px-1.5 py-0.5 font-mono text-xs text-slate-800">
                    {k}
                  </kbd>
                ))}
              </dt>
              <dd className="text-slate-700">{s.what}</dd>
            </div>
          ))}
        </dl>
        <div className="mt-5 flex justify-end">
          <button
            type="button"
            onClick={onClose}
            className="rounded-md bg-indigo-600 px-3 py-2 text-sm font-medium text-white hover:bg-indigo-700"
          >
            Close
          </button>
        </div>
      </div>
    </dialog>
  );
}
