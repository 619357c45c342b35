"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { DocumentDetailByIdQuery, DocumentListQuery, JobSummaryFragment } from "@/gql/graphql";
import { useConfig } from "./config";
import { gqlRequest } from "./graphql";
import { documentStatusFor, updateRow } from "./live/store";
import { CancelJobMutation, RetryJobMutation } from "./operations";
import { queryKeys } from "./query-keys";

export type JobActionResult = { ok: true; job: JobSummaryFragment } | { ok: false; message: string };

/** Retry or cancel a job; on success the cached row and review screen are patched at once. */
export function useJobAction(kind: "retry" | "cancel", documentId: string) {
  const config = useConfig();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (jobId: string): Promise<JobActionResult> => {
      if (kind === "retry") {
        const { retryJob } = await gqlRequest(config, RetryJobMutation, { id: jobId });
        return retryJob.__typename === "RetryJobSuccess"
          ? { ok: true, job: retryJob.job }
          : { ok: false, message: retryJob.message };
      }
      const { cancelJob } = await gqlRequest(config, CancelJobMutation, { id: jobId });
      return cancelJob.__typename === "CancelJobSuccess"
        ? { ok: true, job: cancelJob.job }
        : { ok: false, message: cancelJob.message };
    },
    onSuccess: (result) => {
      if (!result.ok) return;
      const job = result.job;
      qc.setQueriesData<DocumentListQuery>(
        { queryKey: queryKeys.documentsRoot },
        (data) =>
          data &&
          updateRow(data, documentId, (node) => ({
            ...node,
            status: documentStatusFor(job.status, node.status),
            latestJob: job,
          })),
      );
      qc.setQueryData<DocumentDetailByIdQuery>(queryKeys.document(documentId), (data) => {
        if (!data?.document?.latestJob) return data;
        return {
          document: {
            ...data.document,
            status: documentStatusFor(job.status, data.document.status),
            latestJob: { ...data.document.latestJob, ...job },
          },
        };
      });
      void qc.invalidateQueries({ queryKey: queryKeys.counts });
    },
  });
}
