/**
 * The one graphql-ws client, its one `jobEvents` subscription (no arguments: every job's events)
 * and the review queue's length (`reviewQueueLength`).
 *
 * - Reconnects: graphql-ws retries forever with capped backoff. The subscription payload's
 *   `variables` is a getter, and graphql-ws serialises the payload each time it (re)subscribes,
 *   so a resubscription after a drop carries `afterEventId` = the last event id we saw and the
 *   server replays what we missed. The store drops ids at or below the last one (no duplicates).
 * - A ping every 10 s with a 5 s pong deadline notices a silently dead socket.
 * - A subscription that errors or completes is started again (3 s / 1 s later), each on its own.
 * - Authentication: the browser sends the session cookie on the handshake (the API is the same
 *   site; it believes the cookie only from an allowed Origin). A socket closed with 4403 (no or
 *   no longer a valid session: signed out, expired, user disabled) is not retried: the browser
 *   goes to the sign-in page.
 */
import { createClient, type Client } from "graphql-ws";
import type { RuntimeConfig } from "@/lib/config";
import { redirectToSignIn } from "@/lib/auth/redirect";
import { JobEventsSubscription, ReviewQueueLengthSubscription } from "./operations";
import type { JobEvent, LiveStore } from "./store";

export type LiveSocketHandlers = {
  /** A new event (after the store accepted it: in order, not seen before). */
  onEvent: (ev: JobEvent) => void;
  /**
   * Connected with events possibly missed and not replayable: the first connection (events between
   * the first list fetch and now) or a reconnection before any event gave us a cursor.
   */
  onUnreplayableGap: () => void;
  /** The review queue's length: at once, then each new value. */
  onQueueLength: (length: number) => void;
};

/** Connects and subscribes at once; returns the function that closes everything. */
export function connectLiveSocket(config: RuntimeConfig, store: LiveStore, handlers: LiveSocketHandlers): () => void {
  let activeSocket: WebSocket | null = null;
  let pongTimer: ReturnType<typeof setTimeout> | null = null;
  let everConnected = false;
  let disposed = false;

  const client: Client = createClient({
    url: config.wsUrl,
    lazy: true,
    keepAlive: 10_000,
    retryAttempts: Number.POSITIVE_INFINITY,
    shouldRetry: (event) => !isForbiddenClose(event),
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
        if (!everConnected || (wasRetry && store.lastEventId === null)) handlers.onUnreplayableGap();
        everConnected = true;
      },
      closed: (event) => {
        activeSocket = null;
        if (disposed) return;
        if (isForbiddenClose(event)) {
          disposed = true;
          redirectToSignIn();
          return;
        }
        store.setConnection("reconnecting");
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

  const timers = new Set<ReturnType<typeof setTimeout>>();
  const unsubscribers: (() => void)[] = [];
  /** Subscribe, and subscribe again whenever the server ends or fails the subscription. */
  const keep = <T,>(request: { query: string; variables?: Record<string, unknown> }, next: (data: T) => void) => {
    const slot = unsubscribers.length;
    const again = (delay: number) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        start();
      }, delay);
      timers.add(timer);
    };
    const start = () => {
      unsubscribers[slot] = client.subscribe<T>(request, {
        next: (result) => {
          if (result.data) next(result.data);
        },
        error: () => {
          if (disposed) return;
          store.setConnection("reconnecting");
          again(3_000);
        },
        complete: () => {
          if (!disposed) again(1_000);
        },
      });
    };
    start();
  };
  keep<{ jobEvents: JobEvent }>(payload, ({ jobEvents: ev }) => {
    if (store.accept(ev)) handlers.onEvent(ev);
  });
  keep<{ reviewQueueLength: number }>({ query: ReviewQueueLengthSubscription.toString() }, (data) =>
    handlers.onQueueLength(data.reviewQueueLength),
  );

  return () => {
    disposed = true;
    for (const timer of timers) clearTimeout(timer);
    if (pongTimer) clearTimeout(pongTimer);
    for (const unsubscribe of unsubscribers) unsubscribe();
    void client.dispose();
  };
}

/** The API closes with 4403 when the connection has no valid session or token (any longer). */
function isForbiddenClose(event: unknown): boolean {
  return typeof event === "object" && event !== null && (event as { code?: unknown }).code === 4403;
}
