"use client";

/**
 * The one live feed: a single graphql-ws client and a single `jobEvents` subscription (no
 * arguments: every job's events) shared by every screen.
 *
 * - Each event is applied to the query cache in place (see live-cache.ts) and to a small store of
 *   per-document live state that the upload screen reads.
 * - Reconnects: graphql-ws retries forever with capped backoff. The subscription payload's
 *   `variables` is a getter, and graphql-ws serialises the payload each time it (re)subscribes,
 *   so a resubscription after a drop carries `afterEventId` = the last event id we saw and the
 *   server replays what we missed. Ids at or below the last one are ignored (no duplicates).
 * - A ping every 10 s with a 5 s pong deadline notices a silently dead socket.
 */
import { useQueryClient, type QueryClient } from "@tanstack/react-query";
import { createClient, type Client } from "graphql-ws";
import { createContext, useCallback, useContext, useEffect, useMemo, useSyncExternalStore, type ReactNode } from "react";
import type { DocumentStatus, JobEventFieldsFragment, JobStatus } from "@/gql/graphql";
import { useConfig, type RuntimeConfig } from "./config";
import { gqlRequest } from "./graphql";
import { applyJobEvent, eventIdAfter, patchRow, queryKeys, type LiveScheduler } from "./live-cache";
import { DocumentRowQuery, JobEventsSubscription } from "./operations";
import type { DocumentListQuery as DocumentListResult } from "@/gql/graphql";

export type ConnectionState = "connecting" | "connected" | "reconnecting";

export type LiveDocument = {
  status: DocumentStatus | JobStatus;
  progress: number;
  stage: string | null;
  message: string | null;
  eventId: string;
};

type Listener = () => void;

/** Mutable state behind useSyncExternalStore; one per provider. */
class LiveStore {
  connection: ConnectionState = "connecting";
  lastEventId: string | null = null;
  private docs = new Map<string, LiveDocument>();
  private latest = new Map<string, JobEventFieldsFragment>();
  private listeners = new Set<Listener>();

  subscribe = (listener: Listener) => {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  };

  private emit() {
    for (const l of this.listeners) l();
  }

  setConnection(state: ConnectionState) {
    if (this.connection === state) return;
    this.connection = state;
    this.emit();
  }

  recordEvent(ev: JobEventFieldsFragment) {
    this.lastEventId = ev.id;
    this.docs.set(ev.documentId, {
      status: ev.status,
      progress: ev.progress,
      stage: ev.stage ?? null,
      message: ev.message ?? null,
      eventId: ev.id,
    });
    this.latest.delete(ev.documentId); // re-insert: the map stays ordered by recency
    this.latest.set(ev.documentId, ev);
    if (this.docs.size > 5000) {
      const oldest = this.docs.keys().next().value;
      if (oldest !== undefined) this.docs.delete(oldest);
    }
    if (this.latest.size > 5000) {
      const oldest = this.latest.keys().next().value;
      if (oldest !== undefined) this.latest.delete(oldest);
    }
    this.emit();
  }

  latestEvent(documentId: string): JobEventFieldsFragment | undefined {
    return this.latest.get(documentId);
  }

  getDocument(id: string): LiveDocument | undefined {
    return this.docs.get(id);
  }

  /**
   * A list fetched while events kept arriving may be older than events already applied to the
   * cache (they patched the previous data, which the response then replaced). Re-apply each
   * row's latest event received since the fetch started: it is the newest state we know.
   */
  reconcileList(data: DocumentListResult, since: string | null): DocumentListResult {
    let changed = false;
    const edges = data.documents.edges.map((edge) => {
      const ev = this.latest.get(edge.node.id);
      if (!ev || !eventIdAfter(ev.id, since)) return edge;
      changed = true;
      return { ...edge, node: patchRow(edge.node, ev) };
    });
    return changed ? { documents: { ...data.documents, edges } } : data;
  }
}

const LiveContext = createContext<LiveStore | null>(null);

/** Runs `fn` at most once per `gap` ms, `delay` ms after the first call of a burst. */
function throttle(fn: () => void, delay: number, gap: number) {
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

function makeScheduler(
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
          const ev = store.latestEvent(id);
          const document = ev && eventIdAfter(ev.id, since) ? patchRow(fetched, ev) : fetched;
          qc.setQueriesData<DocumentListResult>({ queryKey: queryKeys.documentsRoot }, (data) => {
            if (!data) return data;
            const index = data.documents.edges.findIndex((e) => e.node.id === id);
            if (index < 0) return data;
            const edges = data.documents.edges.slice();
            edges[index] = { ...edges[index], node: document };
            return { documents: { ...data.documents, edges } };
          });
        } catch {
          // The next list fetch will bring it; a failed row refresh is not worth a banner.
        }
      }),
    );
  };
  const settle = throttle(() => void flushSettled(), 300, 300);

  return {
    newDocument: () => lists.call(),
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

export function LiveEventsProvider({ children }: { children: ReactNode }) {
  const config = useConfig();
  const qc = useQueryClient();
  const store = useMemo(() => new LiveStore(), []);

  useEffect(() => {
    const scheduler = makeScheduler(qc, config, store);
    let activeSocket: WebSocket | null = null;
    let pongTimer: ReturnType<typeof setTimeout> | null = null;
    let everConnected = false;
    let disposed = false;

    const client: Client = createClient({
      url: config.wsUrl,
      lazy: true,
      keepAlive: 10_000,
      retryAttempts: Number.POSITIVE_INFINITY,
      shouldRetry: () => true,
      retryWait: async (retries) => {
        const delay = Math.min(500 * 2 ** retries, 8_000) + Math.random() * 400;
        await new Promise((resolve) => setTimeout(resolve, delay));
      },
      on: {
        connecting: () => store.setConnection(everConnected ? "reconnecting" : "connecting"),
        opened: (socket) => {
          activeSocket = socket as WebSocket;
        },
        connected: (_socket, _payload, wasRetry) => {
          store.setConnection("connected");
          // Events between the first list fetch and this moment, or during a drop when we had no
          // cursor yet, cannot be replayed: refresh the lists once instead.
          if (!everConnected || (wasRetry && store.lastEventId === null)) {
            void qc.invalidateQueries({ queryKey: queryKeys.documentsRoot });
            void qc.invalidateQueries({ queryKey: queryKeys.counts });
          }
          everConnected = true;
        },
        closed: () => {
          activeSocket = null;
          if (!disposed) store.setConnection("reconnecting");
        },
        ping: (received) => {
          if (received) return;
          pongTimer = setTimeout(() => {
            if (activeSocket?.readyState === WebSocket.OPEN) activeSocket.close(4408, "Pong timeout");
          }, 5_000);
        },
        pong: (received) => {
          if (received && pongTimer) clearTimeout(pongTimer);
        },
      },
    });

    const payload = {
      query: JobEventsSubscription.toString(),
      get variables() {
        return store.lastEventId === null ? {} : { afterEventId: store.lastEventId };
      },
    };

    let unsubscribe: (() => void) | null = null;
    let resubscribeTimer: ReturnType<typeof setTimeout> | null = null;
    const start = () => {
      unsubscribe = client.subscribe<{ jobEvents: JobEventFieldsFragment }>(payload, {
        next: (result) => {
          const ev = result.data?.jobEvents;
          if (!ev || !eventIdAfter(ev.id, store.lastEventId)) return;
          store.recordEvent(ev);
          applyJobEvent(qc, ev, scheduler);
        },
        error: () => {
          if (disposed) return;
          store.setConnection("reconnecting");
          resubscribeTimer = setTimeout(start, 3_000);
        },
        complete: () => {
          if (disposed) return;
          resubscribeTimer = setTimeout(start, 1_000);
        },
      });
    };
    start();

    return () => {
      disposed = true;
      if (resubscribeTimer) clearTimeout(resubscribeTimer);
      if (pongTimer) clearTimeout(pongTimer);
      unsubscribe?.();
      scheduler.dispose();
      void client.dispose();
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
