/** The dashboard's operations: one page of the document list, and the per-status counts. */
import { graphql } from "@/gql";

export const DocumentListQuery = graphql(`
  query DocumentList(
    $search: String
    $filter: DocumentFilter
    $sort: DocumentSort
    $first: Int
    $after: String
  ) {
    documents(search: $search, filter: $filter, sort: $sort, first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        cursor
        node {
          ...DocumentRow
        }
      }
    }
  }
`);

export const DocumentCountsQuery = graphql(`
  query DocumentCounts {
    documentCounts {
      status
      count
    }
  }
`);

export const BulkFinalizeMutation = graphql(`
  mutation BulkFinalize($ids: [ID!], $filter: DocumentFilter, $search: String) {
    bulkFinalize(ids: $ids, filter: $filter, search: $search) {
      ...BulkResult
    }
  }
`);

export const BulkRetryMutation = graphql(`
  mutation BulkRetry($ids: [ID!], $filter: DocumentFilter, $search: String) {
    bulkRetry(ids: $ids, filter: $filter, search: $search) {
      ...BulkResult
    }
  }
`);

export const BulkCancelMutation = graphql(`
  mutation BulkCancel($ids: [ID!], $filter: DocumentFilter, $search: String) {
    bulkCancel(ids: $ids, filter: $filter, search: $search) {
      ...BulkResult
    }
  }
`);

export const BulkResultFragment = graphql(`
  fragment BulkResult on BulkActionResult {
    __typename
    ... on BulkActionSuccess {
      succeeded
      refused
      results {
        documentId
        ok
        code
        message
      }
    }
    ... on UserError {
      code
      message
    }
  }
`);
