import type { DocumentDetailFragment } from "@/gql/graphql";
import type { LiveCheck } from "./fields";

export type Check = NonNullable<DocumentDetailFragment["extraction"]>["checks"][number] | LiveCheck;

/** The checks to show: the sums recomputed from the form as the reviewer types, then the saved
 * extraction's other checks (IBAN checksum, EN 16931 rules of an XML invoice). */
export function mergeChecks(live: LiveCheck[], saved: Check[]): Check[] {
  const liveNames = new Set(live.map((c) => c.name));
  const recomputable = new Set(["NET_PLUS_TAX_EQUALS_TOTAL", "TAX_BREAKDOWN_SUMS_TO_TAX", "LINES_SUM_TO_NET"]);
  return [...live, ...saved.filter((c) => !liveNames.has(c.name) && !recomputable.has(c.name))];
}

/** Field name → the first failed check that involves it. */
export function failedByField(checks: Check[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const check of checks) {
    if (check.passed) continue;
    for (const field of check.fields) if (!out.has(field)) out.set(field, check.name);
  }
  return out;
}

export function ChecksList({ checks }: { checks: Check[] }) {
  if (checks.length === 0) return null;
  const failed = checks.filter((c) => !c.passed).length;
  return (
    <section aria-labelledby="checks-heading" className="rounded-md border border-slate-200 p-3" data-testid="checks">
      <h3 id="checks-heading" className="text-sm font-medium text-slate-800">
        Checks{" "}
        <span className={`text-xs font-normal ${failed ? "text-rose-700" : "text-emerald-700"}`}>
          {failed ? `${failed} failed` : "all passed"}
        </span>
      </h3>
      <ul className="mt-2 space-y-1 text-xs">
        {checks.map((check) => (
          <li key={check.name} className="flex gap-2" data-testid={`check-${check.name}`} data-passed={check.passed}>
            <span aria-hidden className={check.passed ? "text-emerald-700" : "text-rose-700"}>
              {check.passed ? "✓" : "✗"}
            </span>
            <span className="sr-only">{check.passed ? "passed" : "failed"}</span>
            <span className="font-mono text-slate-700">{check.name}</span>
            <span className="min-w-0 flex-1 text-slate-600">{check.message}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
