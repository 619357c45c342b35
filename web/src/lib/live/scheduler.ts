/**
 * What a live event cannot tell us costs a request, but never one per event: new uploads refresh
 * the lists (at most every 1.5 s however many arrive), status changes re-read the counts (same
 * throttle), and finished jobs refresh their rows in one batch (more than ten at once: one list
 * refetch instead).
 */
import type { QueryClient } from "@tanstack/react-query";
import type { RuntimeConfig } from "@/lib/config";
import { gqlRequest } from "@/lib/graphql";
import { queryKeys } from "@/lib/query-keys";
import { DocumentRowQuery } from "./operations";
import { reconcileRow, updateRow, type DocumentListResult, type LiveScheduler, type LiveStore } from "./store";

/** Runs `fn` at most once per `gap` ms, `delay` ms after the first call of a burst. */
export function throttle(fn: () => void, delay: number, gap: number) {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let last = 0;
  return {
    call: () => {
      if (timer) return;
      const wait = Math.max(delay, last + gap - Date.now());
      timer = setTimeout(() => {
        timer = null;
        last = Date.now();
        fn();
      }, wait);
    },
    cancel: () => {
      if (timer) clearTimeout(timer);
      timer = null;
    },
  };
}

/** Refreshes the lists and counts on demand, throttled as above. */
export function makeScheduler(
  qc: QueryClient,
  config: RuntimeConfig,
  store: LiveStore,
): LiveScheduler & { dispose: () => void } {
  const settled = new Set<string>();
  const lists = throttle(
    () => {
      void qc.invalidateQueries({ queryKey: queryKeys.documentsRoot });
      void qc.invalidateQueries({ queryKey: queryKeys.counts });
    },
    400,
    1_500,
  );
  const counts = throttle(() => void qc.invalidateQueries({ queryKey: queryKeys.counts }), 400, 1_500);

  const flushSettled = async () => {
    const ids = [...settled];
    settled.clear();
    if (ids.length > 10) {
      // Many jobs finished at once: one refetch of the visible lists beats many row fetches.
      lists.call();
      return;
    }
    await Promise.all(
      ids.map(async (id) => {
        try {
          const since = store.lastEventId;
          const { document: fetched } = await gqlRequest(config, DocumentRowQuery, { id });
          if (!fetched) return;
          const row = reconcileRow(fetched, store.latestEvent(id), since);
          qc.setQueriesData<DocumentListResult>(
            { queryKey: queryKeys.documentsRoot },
            (data) => data && updateRow(data, id, () => row),
          );
        } catch {
          // The next list fetch will bring it; a failed row refresh is not worth a banner.
        }
      }),
    );
  };
  const settle = throttle(() => void flushSettled(), 300, 300);

  return {
    newDocument: () => lists.call(),
    listsChanged: () => lists.call(),
    countsChanged: () => counts.call(),
    documentSettled: (id) => {
      settled.add(id);
      settle.call();
    },
    dispose: () => {
      lists.cancel();
      counts.cancel();
      settle.cancel();
    },
  };
}
