/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
/** A new API token for the caller. */
export type CreateApiTokenInput = {
  /** Days until it stops working (1..3650); null: never. */
  expiresInDays?: number | null | undefined;
  /** What it is for (1-100 characters). */
  name: string;
  /** At most the caller's own role (default: the caller's). */
  role?: Role | null | undefined;
};

/** A new user. */
export type CreateUserInput = {
  /** Email address (case-insensitive, unique). */
  email: string;
  /** At least 10 characters. */
  password: string;
  /** What the user may do. */
  role: Role;
};

/** Narrows the document list; all given conditions must hold. */
export type DocumentFilter = {
  /** ISO 4217 code. */
  currency?: string | null | undefined;
  /** Only these documents (at most 500): a picked selection. */
  ids?: Array<string> | null | undefined;
  /** Total amount at most this. */
  maxTotal?: string | null | undefined;
  /** Total amount at least this. */
  minTotal?: string | null | undefined;
  /** Any of these statuses. */
  status?: Array<DocumentStatus> | null | undefined;
  /** Uploaded at or after this instant. */
  uploadedFrom?: string | null | undefined;
  /** Uploaded at or before this instant. */
  uploadedTo?: string | null | undefined;
  /** Vendor name contains this text (case-insensitive). */
  vendorName?: string | null | undefined;
};

/** Order of the document list; the id breaks ties. */
export type DocumentSort = {
  /** Which way. */
  direction: SortDirection;
  /** What to order by. */
  field: DocumentSortField;
};

/** What the document list is ordered by. */
export type DocumentSortField =
  /** Original file name. */
  | 'FILENAME'
  /** Size in bytes. */
  | 'FILE_SIZE'
  /** Invoice date (unknown dates last when ascending). */
  | 'INVOICE_DATE'
  /** Document status (alphabetical). */
  | 'STATUS'
  /** Total amount (unknown totals last when ascending). */
  | 'TOTAL_AMOUNT'
  /** Upload time. */
  | 'UPLOADED_AT'
  /** Vendor name (unknown vendors last when ascending). */
  | 'VENDOR_NAME';

/** Where a document is in its lifecycle. */
export type DocumentStatus =
  /** Processing was cancelled. */
  | 'CANCELLED'
  /** Extracted; ready for review. */
  | 'COMPLETED'
  /** Processing failed; see the job's error. */
  | 'FAILED'
  /** Reviewed and read-only. */
  | 'FINALIZED'
  /** A worker is extracting it. */
  | 'PROCESSING'
  /** Waiting for a worker. */
  | 'QUEUED';

/** Invoice fields to change: an omitted field stays as it is, null clears it; a list (taxBreakdown, lineItems) is replaced whole. */
export type InvoiceFieldsInput = {
  /** The BIC of the seller's bank. */
  bic?: string | null | undefined;
  /** Who the invoice is addressed to (the buyer). */
  buyerName?: string | null | undefined;
  /** ISO 4217 code, e.g. EUR. */
  currency?: string | null | undefined;
  /** Payment due date. */
  dueDate?: string | null | undefined;
  /** The seller's IBAN for payment (checksum-validated), no spaces. */
  iban?: string | null | undefined;
  /** Date of issue. */
  invoiceDate?: string | null | undefined;
  /** The invoice's number. */
  invoiceNumber?: string | null | undefined;
  /** The invoice lines, in order; empty when unknown. */
  lineItems?: Array<LineItemInput> | null | undefined;
  /** Total without tax. */
  netAmount?: string | null | undefined;
  /** Purchase order number or buyer reference. */
  orderReference?: string | null | undefined;
  /** Payment terms as printed. */
  paymentTerms?: string | null | undefined;
  /** The seller's VAT identification number, e.g. DE123456789. */
  sellerVatId?: string | null | undefined;
  /** Payment status printed on the invoice (PAID, DUE), else null. */
  status?: string | null | undefined;
  /** Tax included in the total, over all rates. */
  taxAmount?: string | null | undefined;
  /** Tax by rate; empty when unknown. */
  taxBreakdown?: Array<TaxBreakdownLineInput> | null | undefined;
  /** Total including tax (amount due); negative for credit notes. */
  totalAmount?: string | null | undefined;
  /** Who issued the invoice (the seller). */
  vendorName?: string | null | undefined;
};

/** What happened to a job. */
export type JobEventType =
  /** Reading the PDF finished. */
  | 'DOCUMENT_PARSING_COMPLETED'
  /** Reading the PDF began. */
  | 'DOCUMENT_PARSING_STARTED'
  /** Finding the invoice fields finished. */
  | 'FIELD_EXTRACTION_COMPLETED'
  /** Finding the invoice fields began. */
  | 'FIELD_EXTRACTION_STARTED'
  /** The job was cancelled. */
  | 'JOB_CANCELLED'
  /** The job succeeded. */
  | 'JOB_COMPLETED'
  /** The job failed. */
  | 'JOB_FAILED'
  /** The job entered the queue. */
  | 'JOB_QUEUED'
  /** A worker claimed the job. */
  | 'JOB_STARTED';

/** Where a processing job is in its lifecycle. */
export type JobStatus =
  /** Stopped on request. */
  | 'CANCELLED'
  /** Finished successfully. */
  | 'COMPLETED'
  /** Stopped with an error code. */
  | 'FAILED'
  /** A worker runs it. */
  | 'PROCESSING'
  /** Waiting for a worker. */
  | 'QUEUED';

/** One invoice line. An omitted field is null. */
export type LineItemInput = {
  /** What was sold. */
  description?: string | null | undefined;
  /** Net amount of the line. */
  netAmount?: string | null | undefined;
  /** Quantity (negative on credit lines). */
  quantity?: string | null | undefined;
  /** Tax rate of the line in percent. */
  taxRate?: string | null | undefined;
  /** Unit of the quantity, e.g. "h", "Stk", or a UN/ECE code. */
  unit?: string | null | undefined;
  /** Net price per unit. */
  unitPrice?: string | null | undefined;
};

/** A review save: the changed fields and the version they are based on. */
export type ReviewDocumentInput = {
  /** The document to review. */
  documentId: string;
  /** Extraction.version the edit started from; a stale one is a conflict. */
  expectedVersion: number;
  /** The changes. */
  fields: InvoiceFieldsInput;
};

/** What a user or token may do (see the API's policy table). */
export type Role =
  /** Everything, users and every token. */
  | 'ADMIN'
  /** Read, upload, review, finalize, retry, cancel, export. */
  | 'REVIEWER'
  /** Read and upload. */
  | 'UPLOADER'
  /** Read and export. */
  | 'VIEWER';

/** Sort direction. */
export type SortDirection =
  /** Smallest first. */
  | 'ASC'
  /** Largest (newest) first. */
  | 'DESC';

/** The net amount and tax at one tax rate. An omitted field is null. */
export type TaxBreakdownLineInput = {
  /** Net amount taxed at this rate. */
  netAmount?: string | null | undefined;
  /** Tax rate in percent, e.g. 19.00. */
  rate?: string | null | undefined;
  /** Tax at this rate. */
  taxAmount?: string | null | undefined;
};

/** Changes to a user; omitted fields stay. */
export type UpdateUserInput = {
  /** Disable (revokes sessions and tokens) or enable. */
  disabled?: boolean | null | undefined;
  /** The user's id. */
  id: string;
  /** New role. */
  role?: Role | null | undefined;
};

export type DocumentListQueryVariables = Exact<{
  search?: string | null | undefined;
  filter?: DocumentFilter | null | undefined;
  sort?: DocumentSort | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type DocumentListQuery = { documents: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ cursor: string, node: { id: string, originalFilename: string, fileSize: number, uploadedAt: string, status: DocumentStatus, latestJob: { id: string, status: JobStatus, progress: number, stage: string | null, errorCode: string | null, errorMessage: string | null, retryCount: number } | null, extraction: { isFinalized: boolean, fields: { vendorName: string | null, totalAmount: string | null, currency: string | null } } | null, possibleDuplicates: Array<{ id: string }> } }> } };

export type DocumentCountsQueryVariables = Exact<{ [key: string]: never; }>;


export type DocumentCountsQuery = { documentCounts: Array<{ status: DocumentStatus, count: number }> };

export type BulkFinalizeMutationVariables = Exact<{
  ids?: Array<string> | string | null | undefined;
  filter?: DocumentFilter | null | undefined;
  search?: string | null | undefined;
}>;


export type BulkFinalizeMutation = { bulkFinalize:
    | { __typename: 'BulkActionSuccess', succeeded: number, refused: number, results: Array<{ documentId: string, ok: boolean, code: string | null, message: string | null }> }
    | { __typename: 'ValidationError', code: string, message: string }
   };

export type BulkRetryMutationVariables = Exact<{
  ids?: Array<string> | string | null | undefined;
  filter?: DocumentFilter | null | undefined;
  search?: string | null | undefined;
}>;


export type BulkRetryMutation = { bulkRetry:
    | { __typename: 'BulkActionSuccess', succeeded: number, refused: number, results: Array<{ documentId: string, ok: boolean, code: string | null, message: string | null }> }
    | { __typename: 'ValidationError', code: string, message: string }
   };

export type BulkCancelMutationVariables = Exact<{
  ids?: Array<string> | string | null | undefined;
  filter?: DocumentFilter | null | undefined;
  search?: string | null | undefined;
}>;


export type BulkCancelMutation = { bulkCancel:
    | { __typename: 'BulkActionSuccess', succeeded: number, refused: number, results: Array<{ documentId: string, ok: boolean, code: string | null, message: string | null }> }
    | { __typename: 'ValidationError', code: string, message: string }
   };

type BulkResult_BulkActionSuccess_Fragment = { __typename: 'BulkActionSuccess', succeeded: number, refused: number, results: Array<{ documentId: string, ok: boolean, code: string | null, message: string | null }> };

type BulkResult_ValidationError_Fragment = { __typename: 'ValidationError', code: string, message: string };

export type BulkResultFragment =
  | BulkResult_BulkActionSuccess_Fragment
  | BulkResult_ValidationError_Fragment
;

export type HistoryEntryFieldsFragment = { id: string, action: string, occurredAt: string, actor: { kind: string, id: string | null, name: string }, changes: Array<{ field: string, before: string | null, after: string | null }> };

export type InvoiceFieldsAllFragment = { vendorName: string | null, invoiceNumber: string | null, invoiceDate: string | null, dueDate: string | null, totalAmount: string | null, taxAmount: string | null, currency: string | null, status: string | null, netAmount: string | null, sellerVatId: string | null, buyerName: string | null, iban: string | null, bic: string | null, orderReference: string | null, paymentTerms: string | null, taxBreakdown: Array<{ rate: string | null, netAmount: string | null, taxAmount: string | null }>, lineItems: Array<{ description: string | null, quantity: string | null, unit: string | null, unitPrice: string | null, netAmount: string | null, taxRate: string | null }> };

export type DocumentDetailFragment = { id: string, originalFilename: string, mimeType: string, fileSize: number, sha256: string, pageCount: number | null, uploadedAt: string, status: DocumentStatus, fileUrl: string, duplicateOf: { id: string, originalFilename: string } | null, possibleDuplicates: Array<{ id: string, originalFilename: string, status: DocumentStatus }>, latestJob: { createdAt: string, startedAt: string | null, completedAt: string | null, id: string, status: JobStatus, progress: number, stage: string | null, errorCode: string | null, errorMessage: string | null, retryCount: number, events: Array<{ id: string, jobId: string, documentId: string, type: JobEventType, status: JobStatus, progress: number, stage: string | null, message: string | null, attempt: number, occurredAt: string }> } | null, history: Array<{ id: string, action: string, occurredAt: string, actor: { kind: string, id: string | null, name: string }, changes: Array<{ field: string, before: string | null, after: string | null }> }>, extraction: { isFinalized: boolean, finalizedAt: string | null, updatedAt: string, version: number, extracted: { vendorName: string | null, invoiceNumber: string | null, invoiceDate: string | null, dueDate: string | null, totalAmount: string | null, taxAmount: string | null, currency: string | null, status: string | null, netAmount: string | null, sellerVatId: string | null, buyerName: string | null, iban: string | null, bic: string | null, orderReference: string | null, paymentTerms: string | null, taxBreakdown: Array<{ rate: string | null, netAmount: string | null, taxAmount: string | null }>, lineItems: Array<{ description: string | null, quantity: string | null, unit: string | null, unitPrice: string | null, netAmount: string | null, taxRate: string | null }> }, reviewed: { vendorName: string | null, invoiceNumber: string | null, invoiceDate: string | null, dueDate: string | null, totalAmount: string | null, taxAmount: string | null, currency: string | null, status: string | null, netAmount: string | null, sellerVatId: string | null, buyerName: string | null, iban: string | null, bic: string | null, orderReference: string | null, paymentTerms: string | null, taxBreakdown: Array<{ rate: string | null, netAmount: string | null, taxAmount: string | null }>, lineItems: Array<{ description: string | null, quantity: string | null, unit: string | null, unitPrice: string | null, netAmount: string | null, taxRate: string | null }> } | null, fields: { vendorName: string | null, invoiceNumber: string | null, invoiceDate: string | null, dueDate: string | null, totalAmount: string | null, taxAmount: string | null, currency: string | null, status: string | null, netAmount: string | null, sellerVatId: string | null, buyerName: string | null, iban: string | null, bic: string | null, orderReference: string | null, paymentTerms: string | null, taxBreakdown: Array<{ rate: string | null, netAmount: string | null, taxAmount: string | null }>, lineItems: Array<{ description: string | null, quantity: string | null, unit: string | null, unitPrice: string | null, netAmount: string | null, taxRate: string | null }> }, evidence: Array<{ field: string, confidence: number, page: number | null, bbox: Array<number> | null, source: string }>, checks: Array<{ name: string, passed: boolean, message: string, fields: Array<string> }> } | null };

export type DocumentDetailByIdQueryVariables = Exact<{
  id: string;
}>;


export type DocumentDetailByIdQuery = { document: { id: string, originalFilename: string, mimeType: string, fileSize: number, sha256: string, pageCount: number | null, uploadedAt: string, status: DocumentStatus, fileUrl: string, duplicateOf: { id: string, originalFilename: string } | null, possibleDuplicates: Array<{ id: string, originalFilename: string, status: DocumentStatus }>, latestJob: { createdAt: string, startedAt: string | null, completedAt: string | null, id: string, status: JobStatus, progress: number, stage: string | null, errorCode: string | null, errorMessage: string | null, retryCount: number, events: Array<{ id: string, jobId: string, documentId: string, type: JobEventType, status: JobStatus, progress: number, stage: string | null, message: string | null, attempt: number, occurredAt: string }> } | null, history: Array<{ id: string, action: string, occurredAt: string, actor: { kind: string, id: string | null, name: string }, changes: Array<{ field: string, before: string | null, after: string | null }> }>, extraction: { isFinalized: boolean, finalizedAt: string | null, updatedAt: string, version: number, extracted: { vendorName: string | null, invoiceNumber: string | null, invoiceDate: string | null, dueDate: string | null, totalAmount: string | null, taxAmount: string | null, currency: string | null, status: string | null, netAmount: string | null, sellerVatId: string | null, buyerName: string | null, iban: string | null, bic: string | null, orderReference: string | null, paymentTerms: string | null, taxBreakdown: Array<{ rate: string | null, netAmount: string | null, taxAmount: string | null }>, lineItems: Array<{ description: string | null, quantity: string | null, unit: string | null, unitPrice: string | null, netAmount: string | null, taxRate: string | null }> }, reviewed: { vendorName: string | null, invoiceNumber: string | null, invoiceDate: string | null, dueDate: string | null, totalAmount: string | null, taxAmount: string | null, currency: string | null, status: string | null, netAmount: string | null, sellerVatId: string | null, buyerName: string | null, iban: string | null, bic: string | null, orderReference: string | null, paymentTerms: string | null, taxBreakdown: Array<{ rate: string | null, netAmount: string | null, taxAmount: string | null }>, lineItems: Array<{ description: string | null, quantity: string | null, unit: string | null, unitPrice: string | null, netAmount: string | null, taxRate: string | null }> } | null, fields: { vendorName: string | null, invoiceNumber: string | null, invoiceDate: string | null, dueDate: string | null, totalAmount: string | null, taxAmount: string | null, currency: string | null, status: string | null, netAmount: string | null, sellerVatId: string | null, buyerName: string | null, iban: string | null, bic: string | null, orderReference: string | null, paymentTerms: string | null, taxBreakdown: Array<{ rate: string | null, netAmount: string | null, taxAmount: string | null }>, lineItems: Array<{ description: string | null, quantity: string | null, unit: string | null, unitPrice: string | null, netAmount: string | null, taxRate: string | null }> }, evidence: Array<{ field: string, confidence: number, page: number | null, bbox: Array<number> | null, source: string }>, checks: Array<{ name: string, passed: boolean, message: string, fields: Array<string> }> } | null } | null };

export type ReviewDocumentMutationVariables = Exact<{
  input: ReviewDocumentInput;
}>;


export type ReviewDocumentMutation = { reviewDocument:
    | { __typename: 'InvalidStateError', code: string, message: string, field: string | null }
    | { __typename: 'NotFoundError', code: string, message: string, field: string | null }
    | { __typename: 'ReviewDocumentSuccess', document: { id: string, originalFilename: string, mimeType: string, fileSize: number, sha256: string, pageCount: number | null, uploadedAt: string, status: DocumentStatus, fileUrl: string, duplicateOf: { id: string, originalFilename: string } | null, possibleDuplicates: Array<{ id: string, originalFilename: string, status: DocumentStatus }>, latestJob: { createdAt: string, startedAt: string | null, completedAt: string | null, id: string, status: JobStatus, progress: number, stage: string | null, errorCode: string | null, errorMessage: string | null, retryCount: number, events: Array<{ id: string, jobId: string, documentId: string, type: JobEventType, status: JobStatus, progress: number, stage: string | null, message: string | null, attempt: number, occurredAt: string }> } | null, history: Array<{ id: string, action: string, occurredAt: string, actor: { kind: string, id: string | null, name: string }, changes: Array<{ field: string, before: string | null, after: string | null }> }>, extraction: { isFinalized: boolean, finalizedAt: string | null, updatedAt: string, version: number, extracted: { vendorName: string | null, invoiceNumber: string | null, invoiceDate: string | null, dueDate: string | null, totalAmount: string | null, taxAmount: string | null, currency: string | null, status: string | null, netAmount: string | null, sellerVatId: string | null, buyerName: string | null, iban: string | null, bic: string | null, orderReference: string | null, paymentTerms: string | null, taxBreakdown: Array<{ rate: string | null, netAmount: string | null, taxAmount: string | null }>, lineItems: Array<{ description: string | null, quantity: string | null, unit: string | null, unitPrice: string | null, netAmount: string | null, taxRate: string | null }> }, reviewed: { vendorName: string | null, invoiceNumber: string | null, invoiceDate: string | null, dueDate: string | null, totalAmount: string | null, taxAmount: string | null, currency: string | null, status: string | null, netAmount: string | null, sellerVatId: string | null, buyerName: string | null, iban: string | null, bic: string | null, orderReference: string | null, paymentTerms: string | null, taxBreakdown: Array<{ rate: string | null, netAmount: string | null, taxAmount: string | null }>, lineItems: Array<{ description: string | null, quantity: string | null, unit: string | null, unitPrice: string | null, netAmount: string | null, taxRate: string | null }> } | null, fields: { vendorName: string | null, invoiceNumber: string | null, invoiceDate: string | null, dueDate: string | null, totalAmount: string | null, taxAmount: string | null, currency: string | null, status: string | null, netAmount: string | null, sellerVatId: string | null, buyerName: string | null, iban: string | null, bic: string | null, orderReference: string | null, paymentTerms: string | null, taxBreakdown: Array<{ rate: string | null, netAmount: string | null, taxAmount: string | null }>, lineItems: Array<{ description: string | null, quantity: string | null, unit: string | null, unitPrice: string | null, netAmount: string | null, taxRate: string | null }> }, evidence: Array<{ field: string, confidence: number, page: number | null, bbox: Array<number> | null, source: string }>, checks: Array<{ name: string, passed: boolean, message: string, fields: Array<string> }> } | null } }
    | { __typename: 'ValidationError', code: string, message: string, field: string | null }
    | { __typename: 'VersionConflictError', code: string, message: string, field: string | null, currentVersion: number }
   };

export type FinalizeDocumentMutationVariables = Exact<{
  id: string;
  confirmDuplicate?: boolean;
}>;


export type FinalizeDocumentMutation = { finalizeDocument:
    | { __typename: 'DuplicateSuspectedError', code: string, message: string, duplicateIds: Array<string> }
    | { __typename: 'FinalizeDocumentSuccess', document: { id: string, originalFilename: string, mimeType: string, fileSize: number, sha256: string, pageCount: number | null, uploadedAt: string, status: DocumentStatus, fileUrl: string, duplicateOf: { id: string, originalFilename: string } | null, possibleDuplicates: Array<{ id: string, originalFilename: string, status: DocumentStatus }>, latestJob: { createdAt: string, startedAt: string | null, completedAt: string | null, id: string, status: JobStatus, progress: number, stage: string | null, errorCode: string | null, errorMessage: string | null, retryCount: number, events: Array<{ id: string, jobId: string, documentId: string, type: JobEventType, status: JobStatus, progress: number, stage: string | null, message: string | null, attempt: number, occurredAt: string }> } | null, history: Array<{ id: string, action: string, occurredAt: string, actor: { kind: string, id: string | null, name: string }, changes: Array<{ field: string, before: string | null, after: string | null }> }>, extraction: { isFinalized: boolean, finalizedAt: string | null, updatedAt: string, version: number, extracted: { vendorName: string | null, invoiceNumber: string | null, invoiceDate: string | null, dueDate: string | null, totalAmount: string | null, taxAmount: string | null, currency: string | null, status: string | null, netAmount: string | null, sellerVatId: string | null, buyerName: string | null, iban: string | null, bic: string | null, orderReference: string | null, paymentTerms: string | null, taxBreakdown: Array<{ rate: string | null, netAmount: string | null, taxAmount: string | null }>, lineItems: Array<{ description: string | null, quantity: string | null, unit: string | null, unitPrice: string | null, netAmount: string | null, taxRate: string | null }> }, reviewed: { vendorName: string | null, invoiceNumber: string | null, invoiceDate: string | null, dueDate: string | null, totalAmount: string | null, taxAmount: string | null, currency: string | null, status: string | null, netAmount: string | null, sellerVatId: string | null, buyerName: string | null, iban: string | null, bic: string | null, orderReference: string | null, paymentTerms: string | null, taxBreakdown: Array<{ rate: string | null, netAmount: string | null, taxAmount: string | null }>, lineItems: Array<{ description: string | null, quantity: string | null, unit: string | null, unitPrice: string | null, netAmount: string | null, taxRate: string | null }> } | null, fields: { vendorName: string | null, invoiceNumber: string | null, invoiceDate: string | null, dueDate: string | null, totalAmount: string | null, taxAmount: string | null, currency: string | null, status: string | null, netAmount: string | null, sellerVatId: string | null, buyerName: string | null, iban: string | null, bic: string | null, orderReference: string | null, paymentTerms: string | null, taxBreakdown: Array<{ rate: string | null, netAmount: string | null, taxAmount: string | null }>, lineItems: Array<{ description: string | null, quantity: string | null, unit: string | null, unitPrice: string | null, netAmount: string | null, taxRate: string | null }> }, evidence: Array<{ field: string, confidence: number, page: number | null, bbox: Array<number> | null, source: string }>, checks: Array<{ name: string, passed: boolean, message: string, fields: Array<string> }> } | null } }
    | { __typename: 'InvalidStateError', code: string, message: string }
    | { __typename: 'NotFoundError', code: string, message: string }
   };

export type ReviewSettingsQueryVariables = Exact<{ [key: string]: never; }>;


export type ReviewSettingsQuery = { reviewSettings: { confidenceThreshold: number } };

export type ApiTokenFieldsFragment = { id: string, name: string, prefix: string, role: Role, createdAt: string, expiresAt: string | null, lastUsedAt: string | null, revokedAt: string | null, owner: { id: string, email: string } };

export type UserFieldsFragment = { id: string, email: string, role: Role, disabled: boolean, createdAt: string, lastSignInAt: string | null };

export type ApiTokensQueryVariables = Exact<{ [key: string]: never; }>;


export type ApiTokensQuery = { apiTokens: Array<{ id: string, name: string, prefix: string, role: Role, createdAt: string, expiresAt: string | null, lastUsedAt: string | null, revokedAt: string | null, owner: { id: string, email: string } }> };

export type UsersQueryVariables = Exact<{ [key: string]: never; }>;


export type UsersQuery = { users: Array<{ id: string, email: string, role: Role, disabled: boolean, createdAt: string, lastSignInAt: string | null }> };

export type CreateApiTokenMutationVariables = Exact<{
  input: CreateApiTokenInput;
}>;


export type CreateApiTokenMutation = { createApiToken:
    | { __typename: 'CreateApiTokenSuccess', secret: string, token: { id: string, name: string, prefix: string, role: Role, createdAt: string, expiresAt: string | null, lastUsedAt: string | null, revokedAt: string | null, owner: { id: string, email: string } } }
    | { __typename: 'ValidationError', code: string, message: string, field: string | null }
   };

export type RevokeApiTokenMutationVariables = Exact<{
  id: string;
}>;


export type RevokeApiTokenMutation = { revokeApiToken:
    | { __typename: 'NotFoundError', code: string, message: string }
    | { __typename: 'RevokeApiTokenSuccess', token: { id: string, name: string, prefix: string, role: Role, createdAt: string, expiresAt: string | null, lastUsedAt: string | null, revokedAt: string | null, owner: { id: string, email: string } } }
   };

export type CreateUserMutationVariables = Exact<{
  input: CreateUserInput;
}>;


export type CreateUserMutation = { createUser:
    | { __typename: 'CreateUserSuccess', user: { id: string, email: string, role: Role, disabled: boolean, createdAt: string, lastSignInAt: string | null } }
    | { __typename: 'ValidationError', code: string, message: string, field: string | null }
   };

export type UpdateUserMutationVariables = Exact<{
  input: UpdateUserInput;
}>;


export type UpdateUserMutation = { updateUser:
    | { __typename: 'NotFoundError', code: string, message: string, field: string | null }
    | { __typename: 'UpdateUserSuccess', user: { id: string, email: string, role: Role, disabled: boolean, createdAt: string, lastSignInAt: string | null } }
    | { __typename: 'ValidationError', code: string, message: string, field: string | null }
   };

export type UploadDocumentsMutationVariables = Exact<{
  files: Array<File> | File;
}>;


export type UploadDocumentsMutation = { uploadDocuments: { documents: Array<{ id: string, originalFilename: string, fileSize: number, uploadedAt: string, status: DocumentStatus, latestJob: { id: string, status: JobStatus, progress: number, stage: string | null, errorCode: string | null, errorMessage: string | null, retryCount: number } | null, extraction: { isFinalized: boolean, fields: { vendorName: string | null, totalAmount: string | null, currency: string | null } } | null, possibleDuplicates: Array<{ id: string }> }>, rejected: Array<{ filename: string, code: string, message: string }> } };

export type MeQueryVariables = Exact<{ [key: string]: never; }>;


export type MeQuery = { me: { id: string, email: string, role: Role } };

export type JobEventsSubscriptionVariables = Exact<{
  afterEventId?: string | null | undefined;
}>;


export type JobEventsSubscription = { jobEvents: { id: string, jobId: string, documentId: string, type: JobEventType, status: JobStatus, progress: number, stage: string | null, message: string | null, attempt: number, occurredAt: string } };

export type ReviewQueueLengthSubscriptionVariables = Exact<{ [key: string]: never; }>;


export type ReviewQueueLengthSubscription = { reviewQueueLength: number };

export type DocumentRowByIdQueryVariables = Exact<{
  id: string;
}>;


export type DocumentRowByIdQuery = { document: { id: string, originalFilename: string, fileSize: number, uploadedAt: string, status: DocumentStatus, latestJob: { id: string, status: JobStatus, progress: number, stage: string | null, errorCode: string | null, errorMessage: string | null, retryCount: number } | null, extraction: { isFinalized: boolean, fields: { vendorName: string | null, totalAmount: string | null, currency: string | null } } | null, possibleDuplicates: Array<{ id: string }> } | null };

export type JobSummaryFragment = { id: string, status: JobStatus, progress: number, stage: string | null, errorCode: string | null, errorMessage: string | null, retryCount: number };

export type DocumentRowFragment = { id: string, originalFilename: string, fileSize: number, uploadedAt: string, status: DocumentStatus, latestJob: { id: string, status: JobStatus, progress: number, stage: string | null, errorCode: string | null, errorMessage: string | null, retryCount: number } | null, extraction: { isFinalized: boolean, fields: { vendorName: string | null, totalAmount: string | null, currency: string | null } } | null, possibleDuplicates: Array<{ id: string }> };

export type JobEventFieldsFragment = { id: string, jobId: string, documentId: string, type: JobEventType, status: JobStatus, progress: number, stage: string | null, message: string | null, attempt: number, occurredAt: string };

export type RetryJobMutationVariables = Exact<{
  id: string;
}>;


export type RetryJobMutation = { retryJob:
    | { __typename: 'InvalidStateError', code: string, message: string }
    | { __typename: 'NotFoundError', code: string, message: string }
    | { __typename: 'RetryJobSuccess', job: { id: string, status: JobStatus, progress: number, stage: string | null, errorCode: string | null, errorMessage: string | null, retryCount: number } }
   };

export type CancelJobMutationVariables = Exact<{
  id: string;
}>;


export type CancelJobMutation = { cancelJob:
    | { __typename: 'CancelJobSuccess', job: { id: string, status: JobStatus, progress: number, stage: string | null, errorCode: string | null, errorMessage: string | null, retryCount: number } }
    | { __typename: 'InvalidStateError', code: string, message: string }
    | { __typename: 'NotFoundError', code: string, message: string }
   };

export type NextToReviewQueryVariables = Exact<{
  after?: string | null | undefined;
}>;


export type NextToReviewQuery = { nextToReview: { id: string, originalFilename: string } | null };

export type PreviousToReviewQueryVariables = Exact<{
  before?: string | null | undefined;
}>;


export type PreviousToReviewQuery = { previousToReview: { id: string, originalFilename: string } | null };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}
export const BulkResultFragmentDoc = new TypedDocumentString(`
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
    `, {"fragmentName":"BulkResult"}) as unknown as TypedDocumentString<BulkResultFragment, unknown>;
export const JobSummaryFragmentDoc = new TypedDocumentString(`
    fragment JobSummary on Job {
  id
  status
  progress
  stage
  errorCode
  errorMessage
  retryCount
}
    `, {"fragmentName":"JobSummary"}) as unknown as TypedDocumentString<JobSummaryFragment, unknown>;
export const JobEventFieldsFragmentDoc = new TypedDocumentString(`
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
    `, {"fragmentName":"JobEventFields"}) as unknown as TypedDocumentString<JobEventFieldsFragment, unknown>;
export const HistoryEntryFieldsFragmentDoc = new TypedDocumentString(`
    fragment HistoryEntryFields on HistoryEntry {
  id
  action
  occurredAt
  actor {
    kind
    id
    name
  }
  changes {
    field
    before
    after
  }
}
    `, {"fragmentName":"HistoryEntryFields"}) as unknown as TypedDocumentString<HistoryEntryFieldsFragment, unknown>;
export const InvoiceFieldsAllFragmentDoc = new TypedDocumentString(`
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
    `, {"fragmentName":"InvoiceFieldsAll"}) as unknown as TypedDocumentString<InvoiceFieldsAllFragment, unknown>;
export const DocumentDetailFragmentDoc = new TypedDocumentString(`
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
    fragment HistoryEntryFields on HistoryEntry {
  id
  action
  occurredAt
  actor {
    kind
    id
    name
  }
  changes {
    field
    before
    after
  }
}
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
fragment JobSummary on Job {
  id
  status
  progress
  stage
  errorCode
  errorMessage
  retryCount
}
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
}`, {"fragmentName":"DocumentDetail"}) as unknown as TypedDocumentString<DocumentDetailFragment, unknown>;
export const ApiTokenFieldsFragmentDoc = new TypedDocumentString(`
    fragment ApiTokenFields on ApiToken {
  id
  name
  prefix
  role
  createdAt
  expiresAt
  lastUsedAt
  revokedAt
  owner {
    id
    email
  }
}
    `, {"fragmentName":"ApiTokenFields"}) as unknown as TypedDocumentString<ApiTokenFieldsFragment, unknown>;
export const UserFieldsFragmentDoc = new TypedDocumentString(`
    fragment UserFields on User {
  id
  email
  role
  disabled
  createdAt
  lastSignInAt
}
    `, {"fragmentName":"UserFields"}) as unknown as TypedDocumentString<UserFieldsFragment, unknown>;
export const DocumentRowFragmentDoc = new TypedDocumentString(`
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
    fragment JobSummary on Job {
  id
  status
  progress
  stage
  errorCode
  errorMessage
  retryCount
}`, {"fragmentName":"DocumentRow"}) as unknown as TypedDocumentString<DocumentRowFragment, unknown>;
export const DocumentListDocument = new TypedDocumentString(`
    query DocumentList($search: String, $filter: DocumentFilter, $sort: DocumentSort, $first: Int, $after: String) {
  documents(
    search: $search
    filter: $filter
    sort: $sort
    first: $first
    after: $after
  ) {
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
    fragment JobSummary on Job {
  id
  status
  progress
  stage
  errorCode
  errorMessage
  retryCount
}
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
}`) as unknown as TypedDocumentString<DocumentListQuery, DocumentListQueryVariables>;
export const DocumentCountsDocument = new TypedDocumentString(`
    query DocumentCounts {
  documentCounts {
    status
    count
  }
}
    `) as unknown as TypedDocumentString<DocumentCountsQuery, DocumentCountsQueryVariables>;
export const BulkFinalizeDocument = new TypedDocumentString(`
    mutation BulkFinalize($ids: [ID!], $filter: DocumentFilter, $search: String) {
  bulkFinalize(ids: $ids, filter: $filter, search: $search) {
    ...BulkResult
  }
}
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
}`) as unknown as TypedDocumentString<BulkFinalizeMutation, BulkFinalizeMutationVariables>;
export const BulkRetryDocument = new TypedDocumentString(`
    mutation BulkRetry($ids: [ID!], $filter: DocumentFilter, $search: String) {
  bulkRetry(ids: $ids, filter: $filter, search: $search) {
    ...BulkResult
  }
}
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
}`) as unknown as TypedDocumentString<BulkRetryMutation, BulkRetryMutationVariables>;
export const BulkCancelDocument = new TypedDocumentString(`
    mutation BulkCancel($ids: [ID!], $filter: DocumentFilter, $search: String) {
  bulkCancel(ids: $ids, filter: $filter, search: $search) {
    ...BulkResult
  }
}
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
}`) as unknown as TypedDocumentString<BulkCancelMutation, BulkCancelMutationVariables>;
export const DocumentDetailByIdDocument = new TypedDocumentString(`
    query DocumentDetailById($id: ID!) {
  document(id: $id) {
    ...DocumentDetail
  }
}
    fragment HistoryEntryFields on HistoryEntry {
  id
  action
  occurredAt
  actor {
    kind
    id
    name
  }
  changes {
    field
    before
    after
  }
}
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
fragment JobSummary on Job {
  id
  status
  progress
  stage
  errorCode
  errorMessage
  retryCount
}
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
}`) as unknown as TypedDocumentString<DocumentDetailByIdQuery, DocumentDetailByIdQueryVariables>;
export const ReviewDocumentDocument = new TypedDocumentString(`
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
    fragment HistoryEntryFields on HistoryEntry {
  id
  action
  occurredAt
  actor {
    kind
    id
    name
  }
  changes {
    field
    before
    after
  }
}
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
fragment JobSummary on Job {
  id
  status
  progress
  stage
  errorCode
  errorMessage
  retryCount
}
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
}`) as unknown as TypedDocumentString<ReviewDocumentMutation, ReviewDocumentMutationVariables>;
export const FinalizeDocumentDocument = new TypedDocumentString(`
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
    fragment HistoryEntryFields on HistoryEntry {
  id
  action
  occurredAt
  actor {
    kind
    id
    name
  }
  changes {
    field
    before
    after
  }
}
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
fragment JobSummary on Job {
  id
  status
  progress
  stage
  errorCode
  errorMessage
  retryCount
}
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
}`) as unknown as TypedDocumentString<FinalizeDocumentMutation, FinalizeDocumentMutationVariables>;
export const ReviewSettingsDocument = new TypedDocumentString(`
    query ReviewSettings {
  reviewSettings {
    confidenceThreshold
  }
}
    `) as unknown as TypedDocumentString<ReviewSettingsQuery, ReviewSettingsQueryVariables>;
export const ApiTokensDocument = new TypedDocumentString(`
    query ApiTokens {
  apiTokens {
    ...ApiTokenFields
  }
}
    fragment ApiTokenFields on ApiToken {
  id
  name
  prefix
  role
  createdAt
  expiresAt
  lastUsedAt
  revokedAt
  owner {
    id
    email
  }
}`) as unknown as TypedDocumentString<ApiTokensQuery, ApiTokensQueryVariables>;
export const UsersDocument = new TypedDocumentString(`
    query Users {
  users {
    ...UserFields
  }
}
    fragment UserFields on User {
  id
  email
  role
  disabled
  createdAt
  lastSignInAt
}`) as unknown as TypedDocumentString<UsersQuery, UsersQueryVariables>;
export const CreateApiTokenDocument = new TypedDocumentString(`
    mutation CreateApiToken($input: CreateApiTokenInput!) {
  createApiToken(input: $input) {
    __typename
    ... on CreateApiTokenSuccess {
      secret
      token {
        ...ApiTokenFields
      }
    }
    ... on UserError {
      code
      message
      field
    }
  }
}
    fragment ApiTokenFields on ApiToken {
  id
  name
  prefix
  role
  createdAt
  expiresAt
  lastUsedAt
  revokedAt
  owner {
    id
    email
  }
}`) as unknown as TypedDocumentString<CreateApiTokenMutation, CreateApiTokenMutationVariables>;
export const RevokeApiTokenDocument = new TypedDocumentString(`
    mutation RevokeApiToken($id: ID!) {
  revokeApiToken(id: $id) {
    __typename
    ... on RevokeApiTokenSuccess {
      token {
        ...ApiTokenFields
      }
    }
    ... on UserError {
      code
      message
    }
  }
}
    fragment ApiTokenFields on ApiToken {
  id
  name
  prefix
  role
  createdAt
  expiresAt
  lastUsedAt
  revokedAt
  owner {
    id
    email
  }
}`) as unknown as TypedDocumentString<RevokeApiTokenMutation, RevokeApiTokenMutationVariables>;
export const CreateUserDocument = new TypedDocumentString(`
    mutation CreateUser($input: CreateUserInput!) {
  createUser(input: $input) {
    __typename
    ... on CreateUserSuccess {
      user {
        ...UserFields
      }
    }
    ... on UserError {
      code
      message
      field
    }
  }
}
    fragment UserFields on User {
  id
  email
  role
  disabled
  createdAt
  lastSignInAt
}`) as unknown as TypedDocumentString<CreateUserMutation, CreateUserMutationVariables>;
export const UpdateUserDocument = new TypedDocumentString(`
    mutation UpdateUser($input: UpdateUserInput!) {
  updateUser(input: $input) {
    __typename
    ... on UpdateUserSuccess {
      user {
        ...UserFields
      }
    }
    ... on UserError {
      code
      message
      field
    }
  }
}
    fragment UserFields on User {
  id
  email
  role
  disabled
  createdAt
  lastSignInAt
}`) as unknown as TypedDocumentString<UpdateUserMutation, UpdateUserMutationVariables>;
export const UploadDocumentsDocument = new TypedDocumentString(`
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
    fragment JobSummary on Job {
  id
  status
  progress
  stage
  errorCode
  errorMessage
  retryCount
}
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
}`) as unknown as TypedDocumentString<UploadDocumentsMutation, UploadDocumentsMutationVariables>;
export const MeDocument = new TypedDocumentString(`
    query Me {
  me {
    id
    email
    role
  }
}
    `) as unknown as TypedDocumentString<MeQuery, MeQueryVariables>;
export const JobEventsDocument = new TypedDocumentString(`
    subscription JobEvents($afterEventId: ID) {
  jobEvents(afterEventId: $afterEventId) {
    ...JobEventFields
  }
}
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
}`) as unknown as TypedDocumentString<JobEventsSubscription, JobEventsSubscriptionVariables>;
export const ReviewQueueLengthDocument = new TypedDocumentString(`
    subscription ReviewQueueLength {
  reviewQueueLength
}
    `) as unknown as TypedDocumentString<ReviewQueueLengthSubscription, ReviewQueueLengthSubscriptionVariables>;
export const DocumentRowByIdDocument = new TypedDocumentString(`
    query DocumentRowById($id: ID!) {
  document(id: $id) {
    ...DocumentRow
  }
}
    fragment JobSummary on Job {
  id
  status
  progress
  stage
  errorCode
  errorMessage
  retryCount
}
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
}`) as unknown as TypedDocumentString<DocumentRowByIdQuery, DocumentRowByIdQueryVariables>;
export const RetryJobDocument = new TypedDocumentString(`
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
    fragment JobSummary on Job {
  id
  status
  progress
  stage
  errorCode
  errorMessage
  retryCount
}`) as unknown as TypedDocumentString<RetryJobMutation, RetryJobMutationVariables>;
export const CancelJobDocument = new TypedDocumentString(`
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
    fragment JobSummary on Job {
  id
  status
  progress
  stage
  errorCode
  errorMessage
  retryCount
}`) as unknown as TypedDocumentString<CancelJobMutation, CancelJobMutationVariables>;
export const NextToReviewDocument = new TypedDocumentString(`
    query NextToReview($after: ID) {
  nextToReview(after: $after) {
    id
    originalFilename
  }
}
    `) as unknown as TypedDocumentString<NextToReviewQuery, NextToReviewQueryVariables>;
export const PreviousToReviewDocument = new TypedDocumentString(`
    query PreviousToReview($before: ID) {
  previousToReview(before: $before) {
    id
    originalFilename
  }
}
    `) as unknown as TypedDocumentString<PreviousToReviewQuery, PreviousToReviewQueryVariables>;