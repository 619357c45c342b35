import type { JobEventFieldsFragment } from "@/gql/graphql";
import { formatDateTime, humanize } from "@/lib/format";

export function Timeline({ events }: { events: JobEventFieldsFragment[] }) {
  return (
    <section aria-labelledby="timeline-heading" className="rounded-lg border border-slate-200 bg-white p-5">
      <h2 id="timeline-heading" className="text-lg font-semibold">
        Processing timeline
      </h2>
      {events.length === 0 ? (
        <p className="mt-2 text-sm text-slate-500">No events yet.</p>
      ) : (
        <ol className="mt-3 space-y-3 border-l border-slate-200 pl-4" data-testid="timeline">
          {events.map((ev) => (
            <li key={ev.id} className="relative" data-testid="timeline-event" data-type={ev.type}>
              <span
                aria-hidden="true"
                className={`absolute -left-[21.5px] top-1.5 h-2.5 w-2.5 rounded-full ring-2 ring-white ${
                  ev.status === "FAILED" ? "bg-rose-500" : ev.status === "COMPLETED" ? "bg-emerald-500" : "bg-sky-500"
                }`}
              />
              <p className="text-sm font-medium">
                {humanize(ev.type)}
                {ev.attempt > 1 ? <span className="ml-2 text-xs font-normal text-slate-500">attempt {ev.attempt}</span> : null}
              </p>
              <p className="text-xs tabular-nums text-slate-500">
                {formatDateTime(ev.occurredAt)} · {ev.progress}%{ev.stage ? ` · ${humanize(ev.stage)}` : ""}
              </p>
              {ev.message ? (
                <p className={`text-xs ${ev.status === "FAILED" ? "text-rose-700" : "text-slate-600"}`}>{ev.message}</p>
              ) : null}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
