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
