"use client";

import type { ReactNode } from "react";
import type { DocumentCountsQuery, DocumentStatus } from "@/gql/graphql";
import { STATUS_LABELS } from "@/components/StatusBadge";
import { STATUSES } from "./url-state";

/** "All" plus one button per status, each with its live count (· until the counts arrive). */
export function StatusFilter({
  status,
  counts,
  onChange,
}: {
  status: DocumentStatus | null;
  counts: DocumentCountsQuery | undefined;
  onChange: (status: DocumentStatus | null) => void;
}) {
  const countOf = (s: DocumentStatus) => counts?.documentCounts.find((c) => c.status === s)?.count ?? 0;
  const total = counts?.documentCounts.reduce((sum, c) => sum + c.count, 0) ?? 0;
  return (
    <div role="group" aria-label="Filter by status" className="flex flex-wrap gap-1.5" data-testid="status-filter">
      <FilterButton active={status === null} onClick={() => onChange(null)} testId="filter-ALL">
        All <Count value={counts ? total : null} />
      </FilterButton>
      {STATUSES.map((s) => (
        <FilterButton key={s} active={status === s} onClick={() => onChange(s)} testId={`filter-${s}`}>
          {STATUS_LABELS[s]} <Count value={counts ? countOf(s) : null} />
        </FilterButton>
      ))}
    </div>
  );
}

function Count({ value }: { value: number | null }) {
  return (
    <span className="ml-1 inline-block min-w-[2ch] rounded bg-black/5 px-1 text-center text-xs tabular-nums" data-testid="status-count">
      {value ?? "·"}
    </span>
  );
}

function FilterButton({
  active,
  onClick,
  testId,
  children,
}: {
  active: boolean;
  onClick: () => void;
  testId: string;
  children: ReactNode;
}) {
  return (
    <button
      type="button"
      aria-pressed={active}
      onClick={onClick}
      data-testid={testId}
      className={`rounded-full border px-3 py-1 text-sm font-medium ${
        active ? "border-indigo-600 bg-indigo-600 text-white" : "border-slate-300 bg-white text-slate-700 hover:bg-slate-50"
      }`}
    >
      {children}
    </button>
  );
}
