/** A fixed-size progress bar; always rendered (even at 0 or 100) so rows never change height. */
export function ProgressBar({
  value,
  label,
  tone = "active",
  testId = "progress-bar",
}: {
  value: number;
  label: string;
  tone?: "active" | "done" | "failed" | "idle";
  testId?: string;
}) {
  const clamped = Math.max(0, Math.min(100, Math.round(value)));
  const color =
    tone === "failed" ? "bg-rose-500" : tone === "done" ? "bg-emerald-500" : tone === "idle" ? "bg-slate-300" : "bg-sky-500";
  return (
    <div
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={clamped}
      data-testid={testId}
      data-value={clamped}
      className="h-2 w-full overflow-hidden rounded-full bg-slate-200"
    >
      <div className={`h-full ${color} transition-[width] duration-300 ease-out`} style={{ width: `${clamped}%` }} />
    </div>
  );
}
