"use client";

import { useConnectionState } from "@/lib/live/hooks";

/**
 * Says so when the live feed is down. Fixed to the bottom of the viewport so that it appearing or
 * going away never shifts the page.
 */
export function ConnectionBanner() {
  const state = useConnectionState();
  const down = state === "reconnecting";
  return (
    <div
      role="status"
      aria-live="polite"
      data-testid="connection-status"
      data-state={state}
      className={`pointer-events-none fixed inset-x-0 bottom-4 z-40 flex justify-center px-4 transition-opacity ${
        down ? "opacity-100" : "opacity-0"
      }`}
    >
      {down ? (
        <p
          data-testid="connection-banner"
          className="pointer-events-auto rounded-lg border border-amber-300 bg-amber-50 px-4 py-2 text-sm text-amber-900 shadow-lg">
          <span aria-hidden="true">⚠ </span>
          Live updates are disconnected. Reconnecting… nothing will be missed.
        </p>
      ) : null}
    </div>
  );
}
