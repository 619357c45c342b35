import { useConfig } from "@/lib/config";
import { useCan } from "@/lib/auth/session";
import { exportQuery, type DashboardUrlState } from "./url-state";

const LINK = "rounded-md border border-slate-300 bg-white px-3 py-2 text-sm font-medium hover:bg-slate-50";

/** Bulk export (REST) of the finalized records matching the dashboard's search and status filter. */
export function ExportLinks({ state }: { state: DashboardUrlState }) {
  const config = useConfig();
  const suffix = exportQuery(state);
  if (!useCan()("export")) return null;
  return (
    <>
      <span className="text-sm text-slate-600" id="export-label">
        Export finalized:
      </span>
      <a
        href={`${config.apiUrl}/api/exports/documents.csv${suffix}`}
        data-testid="export-csv"
        aria-describedby="export-label"
        className={LINK}
      >
        CSV
      </a>
      <a
        href={`${config.apiUrl}/api/exports/documents.json${suffix}`}
        data-testid="export-json"
        aria-describedby="export-label"
        className={LINK}
      >
        JSON
      </a>
    </>
  );
}
