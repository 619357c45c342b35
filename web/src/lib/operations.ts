/**
 * GraphQL documents shared by more than one feature: the fragments a row, a job and a live event
 * are read with, and the retry/cancel mutations (dashboard rows and the review screen). A feature's
 * own operations live in `features/<feature>/operations.ts`, the live feed's in
 * `lib/live/operations.ts`. `graphql()` comes from the generated client preset (src/gql), so each
 * document carries its result and variable types; run `npm run codegen` after changing any of them.
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
    possibleDuplicates {
      id
    }
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
