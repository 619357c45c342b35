/** "21–40 of 57" and the Previous/Next buttons (cursor pages). */
export function Pagination({
  firstIndex,
  shown,
  totalCount,
  updating,
  canGoBack,
  nextCursor,
  onPrevious,
  onNext,
}: {
  firstIndex: number;
  shown: number;
  totalCount: number | null;
  updating: boolean;
  canGoBack: boolean;
  nextCursor: string | null;
  onPrevious: () => void;
  onNext: (cursor: string) => void;
}) {
  return (
    <nav aria-label="Pagination" className="flex items-center justify-between gap-3 text-sm text-slate-600">
      <p className="tabular-nums" data-testid="page-summary">
        {totalCount ? `${firstIndex + 1}–${firstIndex + shown} of ${totalCount}` : "\u00a0"}
        {updating ? <span className="ml-2 text-slate-500">Updating…</span> : null}
      </p>
      <div className="flex gap-2">
        <button
          type="button"
          disabled={!canGoBack}
          onClick={onPrevious}
          data-testid="page-prev"
          className="rounded-md border border-slate-300 bg-white px-3 py-1.5 font-medium disabled:opacity-40"
        >
          Previous
        </button>
        <button
          type="button"
          disabled={!nextCursor}
          onClick={() => {
            if (nextCursor) onNext(nextCursor);
          }}
          data-testid="page-next"
          className="rounded-md border border-slate-300 bg-white px-3 py-1.5 font-medium disabled:opacity-40"
        >
          Next
        </button>
      </div>
    </nav>
  );
}
