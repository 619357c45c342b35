"use client";
/**
 * The review queue (COMPLETED documents, oldest upload first), walked from the dashboard's
 * "Review next" and from the review screen (J/K, and by itself after a finalize). Shared by both
 * features, hence here.
 */
import { useRouter } from "next/navigation";
import { useCallback, useState } from "react";
import { graphql } from "@/gql";
import { useConfig } from "./config";
import { errorMessage, gqlRequest } from "./graphql";

export const NextToReviewQuery = graphql(`
  query NextToReview($after: ID) {
    nextToReview(after: $after) {
      id
      originalFilename
    }
  }
`);

export const PreviousToReviewQuery = graphql(`
  query PreviousToReview($before: ID) {
    previousToReview(before: $before) {
      id
      originalFilename
    }
  }
`);

export type QueueDirection = "next" | "previous";

/** A review screen opened from the queue carries `?queue=1`: there a finalize opens the next
 * document by itself. Opened from a row link it stays (to export the record, say). */
export const QUEUE_PARAM = "queue";

export function openedFromQueue(): boolean {
  return typeof window !== "undefined" && new URLSearchParams(window.location.search).get(QUEUE_PARAM) === "1";
}

/** `go("next", fromId)` opens the neighbouring document in the queue (wrapping around); when
 * the queue is empty it sets `message` instead (shown by the caller, e.g. in a status region). */
export function useQueueNavigation() {
  const config = useConfig();
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);

  const go = useCallback(
    async (direction: QueueDirection, from?: string | null) => {
      setBusy(true);
      setMessage(null);
      try {
        const found =
          direction === "next"
            ? (await gqlRequest(config, NextToReviewQuery, { after: from ?? null })).nextToReview
            : (await gqlRequest(config, PreviousToReviewQuery, { before: from ?? null })).previousToReview;
        if (!found || found.id === from) {
          setMessage(from ? "No other document waits for review." : "Nothing waits for review.");
          return false;
        }
        router.push(`/documents/${found.id}?${QUEUE_PARAM}=1`);
        return true;
      } catch (error) {
        setMessage(errorMessage(error));
        return false;
      } finally {
        setBusy(false);
      }
    },
    [config, router],
  );
  return { go, busy, message };
}
