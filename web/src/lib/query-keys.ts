/**
 * TanStack Query keys, one place: the dashboard, the review screen, the uploader and the live feed
 * all read or patch the same cache entries.
 */
export const queryKeys = {
  /** Every document list page (prefix of `documents(vars)`). */
  documentsRoot: ["documents"] as const,
  documents: (vars: object) => ["documents", vars] as const,
  counts: ["documentCounts"] as const,
  documentRoot: ["document"] as const,
  document: (id: string) => ["document", id] as const,
  reviewSettings: ["reviewSettings"] as const,
};
