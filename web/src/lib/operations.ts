/**
 * Every GraphQL operation the web app sends. `graphql()` comes from the generated client preset
 * (src/gql), so each document carries its result and variable types; run `npm run codegen` after
 * changing anything here or in codegen/schema.graphql.
 */
import { graphql } from "@/gql";

export const JobSummaryFragment = graphql(`
  fragment JobSummary on Job {
    id
    status
    progress
    stage
    errorCode
    errorMessage
    retryCount
  }
`);

export const DocumentRowFragment = graphql(`
  fragment DocumentRow on Document {
    id
    originalFilename
    fileSize
    uploadedAt
    status
    latestJob {
      ...JobSummary
    }
    extraction {
      isFinalized
      fields {
        vendorName
        totalAmount
        currency
      }
    }
  }
`);

export const InvoiceFieldsFragment = graphql(`
  fragment InvoiceFieldsAll on InvoiceFields {
    vendorName
    invoiceNumber
    invoiceDate
    dueDate
    totalAmount
    taxAmount
    currency
    status
  }
`);

export const JobEventFieldsFragment = graphql(`
  fragment JobEventFields on JobEvent {
    id
    jobId
    documentId
    type
    status
    progress
    stage
    message
    attempt
    occurredAt
  }
`);

export const DocumentDetailFragment = graphql(`
  fragment DocumentDetail on Document {
    id
    originalFilename
    mimeType
    fileSize
    sha256
    pageCount
    uploadedAt
    status
    fileUrl
    duplicateOf {
      id
      originalFilename
    }
    latestJob {
      ...JobSummary
      createdAt
      startedAt
      completedAt
      events {
        ...JobEventFields
      }
    }
    extraction {
      extracted {
        ...InvoiceFieldsAll
      }
      reviewed {
        ...InvoiceFieldsAll
      }
      fields {
        ...InvoiceFieldsAll
      }
      evidence {
        field
        confidence
        page
        bbox
        source
      }
      isFinalized
      finalizedAt
      updatedAt
      version
    }
  }
`);

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

export const DocumentRowQuery = graphql(`
  query DocumentRowById($id: ID!) {
    document(id: $id) {
      ...DocumentRow
    }
  }
`);

export const DocumentDetailQuery = graphql(`
  query DocumentDetailById($id: ID!) {
    document(id: $id) {
      ...DocumentDetail
    }
  }
`);

export const UploadDocumentsMutation = graphql(`
  mutation UploadDocuments($files: [Upload!]!) {
    uploadDocuments(files: $files) {
      documents {
        ...DocumentRow
      }
      rejected {
        filename
        code
        message
      }
    }
  }
`);

export const ReviewDocumentMutation = graphql(`
  mutation ReviewDocument($input: ReviewDocumentInput!) {
    reviewDocument(input: $input) {
      __typename
      ... on ReviewDocumentSuccess {
        document {
          ...DocumentDetail
        }
      }
      ... on UserError {
        code
        message
        field
      }
      ... on VersionConflictError {
        currentVersion
      }
    }
  }
`);

export const FinalizeDocumentMutation = graphql(`
  mutation FinalizeDocument($id: ID!) {
    finalizeDocument(id: $id) {
      __typename
      ... on FinalizeDocumentSuccess {
        document {
          ...DocumentDetail
        }
      }
      ... on UserError {
        code
        message
      }
    }
  }
`);

export const RetryJobMutation = graphql(`
  mutation RetryJob($id: ID!) {
    retryJob(id: $id) {
      __typename
      ... on RetryJobSuccess {
        job {
          ...JobSummary
        }
      }
      ... on UserError {
        code
        message
      }
    }
  }
`);

export const CancelJobMutation = graphql(`
  mutation CancelJob($id: ID!) {
    cancelJob(id: $id) {
      __typename
      ... on CancelJobSuccess {
        job {
          ...JobSummary
        }
      }
      ... on UserError {
        code
        message
      }
    }
  }
`);

export const JobEventsSubscription = graphql(`
  subscription JobEvents($afterEventId: ID) {
    jobEvents(afterEventId: $afterEventId) {
      ...JobEventFields
    }
  }
`);
