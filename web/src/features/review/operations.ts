/** The review screen's operations: the document with its extraction and job, save and finalize. */
import { graphql } from "@/gql";

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
    netAmount
    sellerVatId
    buyerName
    iban
    bic
    orderReference
    paymentTerms
    taxBreakdown {
      rate
      netAmount
      taxAmount
    }
    lineItems {
      description
      quantity
      unit
      unitPrice
      netAmount
      taxRate
    }
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
    possibleDuplicates {
      id
      originalFilename
      status
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
    history {
      ...HistoryEntryFields
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
      checks {
        name
        passed
        message
        fields
      }
      isFinalized
      finalizedAt
      updatedAt
      version
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
  mutation FinalizeDocument($id: ID!, $confirmDuplicate: Boolean! = false) {
    finalizeDocument(id: $id, confirmDuplicate: $confirmDuplicate) {
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
      ... on DuplicateSuspectedError {
        duplicateIds
      }
    }
  }
`);

export const ReviewSettingsQuery = graphql(`
  query ReviewSettings {
    reviewSettings {
      confidenceThreshold
    }
  }
`);
