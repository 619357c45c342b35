import type { HistoryEntryFieldsFragment } from "@/gql/graphql";
import { formatDateTime } from "@/lib/format";
import { actionLabel, actorLabel, changeValue } from "./history";

/** Who did what to the document, oldest first: a compact timeline of `Document.history`. */
export function History({ entries }: { entries: HistoryEntryFieldsFragment[] }) {
  return (
    <section aria-labelledby="history-heading" className="rounded-lg border border-slate-200 bg-white p-5">
      <h2 id="history-heading" className="text-lg font-semibold">
        History
      </h2>
      {entries.length === 0 ? (
        <p className="mt-2 text-sm text-slate-500">Nothing recorded yet.</p>
      ) : (
        <ol className="mt-3 space-y-3 border-l border-slate-200 pl-4" data-testid="history">
          {entries.map((entry) => (
            <li key={entry.id} className="relative" data-testid="history-entry" data-action={entry.action}>
              <span aria-hidden="true" className="absolute -left-[21.5px] top-1.5 h-2.5 w-2.5 rounded-full bg-slate-400 ring-2 ring-white" />
              <p className="text-sm">
                <span className="font-medium">{actionLabel(entry.action)}</span>
                <span className="text-slate-600"> by </span>
                <span className="font-medium" data-testid="history-actor" data-kind={entry.actor.kind}>
                  {actorLabel(entry.actor)}
                </span>
              </p>
              <p className="text-xs tabular-nums text-slate-500">{formatDateTime(entry.occurredAt)}</p>
              {entry.changes.length > 0 ? (
                <ul className="mt-1 space-y-0.5 text-xs text-slate-700">
                  {entry.changes.map((change) => (
                    <li key={change.field} data-testid="history-change" data-field={change.field} className="break-words">
                      <span className="font-medium">{change.field}</span>:{" "}
                      <span className="text-slate-500 line-through decoration-slate-300">{changeValue(change.before)}</span>
                      {" → "}
                      <span>{changeValue(change.after)}</span>
                    </li>
                  ))}
                </ul>
              ) : null}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
