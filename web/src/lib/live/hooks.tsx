"use client";

/**
 * The live feed in React: `LiveEventsProvider` (once, in the app's providers) connects the socket
 * and applies each event to the query cache; the hooks read the connection state, one document's
 * latest live state, and fetch lists without undoing live updates.
 */
import { useQueryClient } from "@tanstack/react-query";
import { createContext, useCallback, useContext, useEffect, useMemo, useSyncExternalStore, type ReactNode } from "react";
import { useConfig } from "@/lib/config";
import { queryKeys } from "@/lib/query-keys";
import { makeScheduler } from "./scheduler";
import { connectLiveSocket } from "./socket";
import { applyJobEvent, applyQueueLength, LiveStore, type ConnectionState, type DocumentListResult, type LiveDocument } from "./store";

export type { ConnectionState, LiveDocument } from "./store";

const LiveContext = createContext<LiveStore | null>(null);

export function LiveEventsProvider({ children }: { children: ReactNode }) {
  const config = useConfig();
  const qc = useQueryClient();
  const store = useMemo(() => new LiveStore(), []);

  useEffect(() => {
    const scheduler = makeScheduler(qc, config, store);
    const disconnect = connectLiveSocket(config, store, {
      onEvent: (ev) => applyJobEvent(qc, ev, scheduler),
      onUnreplayableGap: () => {
        void qc.invalidateQueries({ queryKey: queryKeys.documentsRoot });
        void qc.invalidateQueries({ queryKey: queryKeys.counts });
      },
      onQueueLength: (length) => applyQueueLength(store, length, scheduler),
    });
    return () => {
      disconnect();
      scheduler.dispose();
    };
  }, [config, qc, store]);

  return <LiveContext.Provider value={store}>{children}</LiveContext.Provider>;
}

function useLiveStore(): LiveStore {
  const store = useContext(LiveContext);
  if (!store) throw new Error("LiveEventsProvider is missing");
  return store;
}

export function useConnectionState(): ConnectionState {
  const store = useLiveStore();
  return useSyncExternalStore(
    store.subscribe,
    () => store.connection,
    () => "connecting" as const,
  );
}

/** How many documents wait for review, live (null until the server said). */
export function useReviewQueueLength(): number | null {
  const store = useLiveStore();
  return useSyncExternalStore(
    store.subscribe,
    () => store.queueLength,
    () => null,
  );
}

/** The latest live state of one document (undefined until an event about it arrives). */
export function useLiveDocument(id: string | null | undefined): LiveDocument | undefined {
  const store = useLiveStore();
  return useSyncExternalStore(
    store.subscribe,
    () => (id ? store.getDocument(id) : undefined),
    () => undefined,
  );
}

/**
 * Fetch a document list so that it never undoes live updates: events that arrive while the request
 * is in flight are re-applied to its response.
 */
export function useLiveListFetcher() {
  const store = useLiveStore();
  return useCallback(
    async (fetchList: () => Promise<DocumentListResult>) => {
      const since = store.lastEventId;
      const data = await fetchList();
      return store.reconcileList(data, since);
    },
    [store],
  );
}
