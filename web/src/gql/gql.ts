/* eslint-disable */
import * as types from './graphql';



/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  query DocumentList(\n    $search: String\n    $filter: DocumentFilter\n    $sort: DocumentSort\n    $first: Int\n    $after: String\n  ) {\n    documents(search: $search, filter: $filter, sort: $sort, first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        cursor\n        node {\n          ...DocumentRow\n        }\n      }\n    }\n  }\n": typeof types.DocumentListDocument,
    "\n  query DocumentCounts {\n    documentCounts {\n      status\n      count\n    }\n  }\n": typeof types.DocumentCountsDocument,
    "\n  mutation BulkFinalize($ids: [ID!], $filter: DocumentFilter, $search: String) {\n    bulkFinalize(ids: $ids, filter: $filter, search: $search) {\n      ...BulkResult\n    }\n  }\n": typeof types.BulkFinalizeDocument,
    "\n  mutation BulkRetry($ids: [ID!], $filter: DocumentFilter, $search: String) {\n    bulkRetry(ids: $ids, filter: $filter, search: $search) {\n      ...BulkResult\n    }\n  }\n": typeof types.BulkRetryDocument,
    "\n  mutation BulkCancel($ids: [ID!], $filter: DocumentFilter, $search: String) {\n    bulkCancel(ids: $ids, filter: $filter, search: $search) {\n      ...BulkResult\n    }\n  }\n": typeof types.BulkCancelDocument,
    "\n  fragment BulkResult on BulkActionResult {\n    __typename\n    ... on BulkActionSuccess {\n      succeeded\n      refused\n      results {\n        documentId\n        ok\n        code\n        message\n      }\n    }\n    ... on UserError {\n      code\n      message\n    }\n  }\n": typeof types.BulkResultFragmentDoc,
    "\n  fragment HistoryEntryFields on HistoryEntry {\n    id\n    action\n    occurredAt\n    actor {\n      kind\n      id\n      name\n    }\n    changes {\n      field\n      before\n      after\n    }\n  }\n": typeof types.HistoryEntryFieldsFragmentDoc,
    "\n  fragment InvoiceFieldsAll on InvoiceFields {\n    vendorName\n    invoiceNumber\n    invoiceDate\n    dueDate\n    totalAmount\n    taxAmount\n    currency\n    status\n    netAmount\n    sellerVatId\n    buyerName\n    iban\n    bic\n    orderReference\n    paymentTerms\n    taxBreakdown {\n      rate\n      netAmount\n      taxAmount\n    }\n    lineItems {\n      description\n      quantity\n      unit\n      unitPrice\n      netAmount\n      taxRate\n    }\n  }\n": typeof types.InvoiceFieldsAllFragmentDoc,
    "\n  fragment DocumentDetail on Document {\n    id\n    originalFilename\n    mimeType\n    fileSize\n    sha256\n    pageCount\n    uploadedAt\n    status\n    fileUrl\n    duplicateOf {\n      id\n      originalFilename\n    }\n    possibleDuplicates {\n      id\n      originalFilename\n      status\n    }\n    latestJob {\n      ...JobSummary\n      createdAt\n      startedAt\n      completedAt\n      events {\n        ...JobEventFields\n      }\n    }\n    history {\n      ...HistoryEntryFields\n    }\n    extraction {\n      extracted {\n        ...InvoiceFieldsAll\n      }\n      reviewed {\n        ...InvoiceFieldsAll\n      }\n      fields {\n        ...InvoiceFieldsAll\n      }\n      evidence {\n        field\n        confidence\n        page\n        bbox\n        source\n      }\n      checks {\n        name\n        passed\n        message\n        fields\n      }\n      isFinalized\n      finalizedAt\n      updatedAt\n      version\n    }\n  }\n": typeof types.DocumentDetailFragmentDoc,
    "\n  query DocumentDetailById($id: ID!) {\n    document(id: $id) {\n      ...DocumentDetail\n    }\n  }\n": typeof types.DocumentDetailByIdDocument,
    "\n  mutation ReviewDocument($input: ReviewDocumentInput!) {\n    reviewDocument(input: $input) {\n      __typename\n      ... on ReviewDocumentSuccess {\n        document {\n          ...DocumentDetail\n        }\n      }\n      ... on UserError {\n        code\n        message\n        field\n      }\n      ... on VersionConflictError {\n        currentVersion\n      }\n    }\n  }\n": typeof types.ReviewDocumentDocument,
    "\n  mutation FinalizeDocument($id: ID!, $confirmDuplicate: Boolean! = false) {\n    finalizeDocument(id: $id, confirmDuplicate: $confirmDuplicate) {\n      __typename\n      ... on FinalizeDocumentSuccess {\n        document {\n          ...DocumentDetail\n        }\n      }\n      ... on UserError {\n        code\n        message\n      }\n      ... on DuplicateSuspectedError {\n        duplicateIds\n      }\n    }\n  }\n": typeof types.FinalizeDocumentDocument,
    "\n  query ReviewSettings {\n    reviewSettings {\n      confidenceThreshold\n    }\n  }\n": typeof types.ReviewSettingsDocument,
    "\n  fragment ApiTokenFields on ApiToken {\n    id\n    name\n    prefix\n    role\n    createdAt\n    expiresAt\n    lastUsedAt\n    revokedAt\n    owner {\n      id\n      email\n    }\n  }\n": typeof types.ApiTokenFieldsFragmentDoc,
    "\n  fragment UserFields on User {\n    id\n    email\n    role\n    disabled\n    createdAt\n    lastSignInAt\n  }\n": typeof types.UserFieldsFragmentDoc,
    "\n  query ApiTokens {\n    apiTokens {\n      ...ApiTokenFields\n    }\n  }\n": typeof types.ApiTokensDocument,
    "\n  query Users {\n    users {\n      ...UserFields\n    }\n  }\n": typeof types.UsersDocument,
    "\n  mutation CreateApiToken($input: CreateApiTokenInput!) {\n    createApiToken(input: $input) {\n      __typename\n      ... on CreateApiTokenSuccess {\n        secret\n        token {\n          ...ApiTokenFields\n        }\n      }\n      ... on UserError {\n        code\n        message\n        field\n      }\n    }\n  }\n": typeof types.CreateApiTokenDocument,
    "\n  mutation RevokeApiToken($id: ID!) {\n    revokeApiToken(id: $id) {\n      __typename\n      ... on RevokeApiTokenSuccess {\n        token {\n          ...ApiTokenFields\n        }\n      }\n      ... on UserError {\n        code\n        message\n      }\n    }\n  }\n": typeof types.RevokeApiTokenDocument,
    "\n  mutation CreateUser($input: CreateUserInput!) {\n    createUser(input: $input) {\n      __typename\n      ... on CreateUserSuccess {\n        user {\n          ...UserFields\n        }\n      }\n      ... on UserError {\n        code\n        message\n        field\n      }\n    }\n  }\n": typeof types.CreateUserDocument,
    "\n  mutation UpdateUser($input: UpdateUserInput!) {\n    updateUser(input: $input) {\n      __typename\n      ... on UpdateUserSuccess {\n        user {\n          ...UserFields\n        }\n      }\n      ... on UserError {\n        code\n        message\n        field\n      }\n    }\n  }\n": typeof types.UpdateUserDocument,
    "\n  mutation UploadDocuments($files: [Upload!]!) {\n    uploadDocuments(files: $files) {\n      documents {\n        ...DocumentRow\n      }\n      rejected {\n        filename\n        code\n        message\n      }\n    }\n  }\n": typeof types.UploadDocumentsDocument,
    "\n  query Me {\n    me {\n      id\n      email\n      role\n    }\n  }\n": typeof types.MeDocument,
    "\n  subscription JobEvents($afterEventId: ID) {\n    jobEvents(afterEventId: $afterEventId) {\n      ...JobEventFields\n    }\n  }\n": typeof types.JobEventsDocument,
    "\n  subscription ReviewQueueLength {\n    reviewQueueLength\n  }\n": typeof types.ReviewQueueLengthDocument,
    "\n  query DocumentRowById($id: ID!) {\n    document(id: $id) {\n      ...DocumentRow\n    }\n  }\n": typeof types.DocumentRowByIdDocument,
    "\n  fragment JobSummary on Job {\n    id\n    status\n    progress\n    stage\n    errorCode\n    errorMessage\n    retryCount\n  }\n": typeof types.JobSummaryFragmentDoc,
    "\n  fragment DocumentRow on Document {\n    id\n    originalFilename\n    fileSize\n    uploadedAt\n    status\n    latestJob {\n      ...JobSummary\n    }\n    extraction {\n      isFinalized\n      fields {\n        vendorName\n        totalAmount\n        currency\n      }\n    }\n    possibleDuplicates {\n      id\n    }\n  }\n": typeof types.DocumentRowFragmentDoc,
    "\n  fragment JobEventFields on JobEvent {\n    id\n    jobId\n    documentId\n    type\n    status\n    progress\n    stage\n    message\n    attempt\n    occurredAt\n  }\n": typeof types.JobEventFieldsFragmentDoc,
    "\n  mutation RetryJob($id: ID!) {\n    retryJob(id: $id) {\n      __typename\n      ... on RetryJobSuccess {\n        job {\n          ...JobSummary\n        }\n      }\n      ... on UserError {\n        code\n        message\n      }\n    }\n  }\n": typeof types.RetryJobDocument,
    "\n  mutation CancelJob($id: ID!) {\n    cancelJob(id: $id) {\n      __typename\n      ... on CancelJobSuccess {\n        job {\n          ...JobSummary\n        }\n      }\n      ... on UserError {\n        code\n        message\n      }\n    }\n  }\n": typeof types.CancelJobDocument,
    "\n  query NextToReview($after: ID) {\n    nextToReview(after: $after) {\n      id\n      originalFilename\n    }\n  }\n": typeof types.NextToReviewDocument,
    "\n  query PreviousToReview($before: ID) {\n    previousToReview(before: $before) {\n      id\n      originalFilename\n    }\n  }\n": typeof types.PreviousToReviewDocument,
};
const documents: Documents = {
    "\n  query DocumentList(\n    $search: String\n    $filter: DocumentFilter\n    $sort: DocumentSort\n    $first: Int\n    $after: String\n  ) {\n    documents(search: $search, filter: $filter, sort: $sort, first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        cursor\n        node {\n          ...DocumentRow\n        }\n      }\n    }\n  }\n": types.DocumentListDocument,
    "\n  query DocumentCounts {\n    documentCounts {\n      status\n      count\n    }\n  }\n": types.DocumentCountsDocument,
    "\n  mutation BulkFinalize($ids: [ID!], $filter: DocumentFilter, $search: String) {\n    bulkFinalize(ids: $ids, filter: $filter, search: $search) {\n      ...BulkResult\n    }\n  }\n": types.BulkFinalizeDocument,
    "\n  mutation BulkRetry($ids: [ID!], $filter: DocumentFilter, $search: String) {\n    bulkRetry(ids: $ids, filter: $filter, search: $search) {\n      ...BulkResult\n    }\n  }\n": types.BulkRetryDocument,
    "\n  mutation BulkCancel($ids: [ID!], $filter: DocumentFilter, $search: String) {\n    bulkCancel(ids: $ids, filter: $filter, search: $search) {\n      ...BulkResult\n    }\n  }\n": types.BulkCancelDocument,
    "\n  fragment BulkResult on BulkActionResult {\n    __typename\n    ... on BulkActionSuccess {\n      succeeded\n      refused\n      results {\n        documentId\n        ok\n        code\n        message\n      }\n    }\n    ... on UserError {\n      code\n      message\n    }\n  }\n": types.BulkResultFragmentDoc,
    "\n  fragment HistoryEntryFields on HistoryEntry {\n    id\n    action\n    occurredAt\n    actor {\n      kind\n      id\n      name\n    }\n    changes {\n      field\n      before\n      after\n    }\n  }\n": types.HistoryEntryFieldsFragmentDoc,
    "\n  fragment InvoiceFieldsAll on InvoiceFields {\n    vendorName\n    invoiceNumber\n    invoiceDate\n    dueDate\n    totalAmount\n    taxAmount\n    currency\n    status\n    netAmount\n    sellerVatId\n    buyerName\n    iban\n    bic\n    orderReference\n    paymentTerms\n    taxBreakdown {\n      rate\n      netAmount\n      taxAmount\n    }\n    lineItems {\n      description\n      quantity\n      unit\n      unitPrice\n      netAmount\n      taxRate\n    }\n  }\n": types.InvoiceFieldsAllFragmentDoc,
    "\n  fragment DocumentDetail on Document {\n    id\n    originalFilename\n    mimeType\n    fileSize\n    sha256\n    pageCount\n    uploadedAt\n    status\n    fileUrl\n    duplicateOf {\n      id\n      originalFilename\n    }\n    possibleDuplicates {\n      id\n      originalFilename\n      status\n    }\n    latestJob {\n      ...JobSummary\n      createdAt\n      startedAt\n      completedAt\n      events {\n        ...JobEventFields\n      }\n    }\n    history {\n      ...HistoryEntryFields\n    }\n    extraction {\n      extracted {\n        ...InvoiceFieldsAll\n      }\n      reviewed {\n        ...InvoiceFieldsAll\n      }\n      fields {\n        ...InvoiceFieldsAll\n      }\n      evidence {\n        field\n        confidence\n        page\n        bbox\n        source\n      }\n      checks {\n        name\n        passed\n        message\n        fields\n      }\n      isFinalized\n      finalizedAt\n      updatedAt\n      version\n    }\n  }\n": types.DocumentDetailFragmentDoc,
    "\n  query DocumentDetailById($id: ID!) {\n    document(id: $id) {\n      ...DocumentDetail\n    }\n  }\n": types.DocumentDetailByIdDocument,
    "\n  mutation ReviewDocument($input: ReviewDocumentInput!) {\n    reviewDocument(input: $input) {\n      __typename\n      ... on ReviewDocumentSuccess {\n        document {\n          ...DocumentDetail\n        }\n      }\n      ... on UserError {\n        code\n        message\n        field\n      }\n      ... on VersionConflictError {\n        currentVersion\n      }\n    }\n  }\n": types.ReviewDocumentDocument,
    "\n  mutation FinalizeDocument($id: ID!, $confirmDuplicate: Boolean! = false) {\n    finalizeDocument(id: $id, confirmDuplicate: $confirmDuplicate) {\n      __typename\n      ... on FinalizeDocumentSuccess {\n        document {\n          ...DocumentDetail\n        }\n      }\n      ... on UserError {\n        code\n        message\n      }\n      ... on DuplicateSuspectedError {\n        duplicateIds\n      }\n    }\n  }\n": types.FinalizeDocumentDocument,
    "\n  query ReviewSettings {\n    reviewSettings {\n      confidenceThreshold\n    }\n  }\n": types.ReviewSettingsDocument,
    "\n  fragment ApiTokenFields on ApiToken {\n    id\n    name\n    prefix\n    role\n    createdAt\n    expiresAt\n    lastUsedAt\n    revokedAt\n    owner {\n      id\n      email\n    }\n  }\n": types.ApiTokenFieldsFragmentDoc,
    "\n  fragment UserFields on User {\n    id\n    email\n    role\n    disabled\n    createdAt\n    lastSignInAt\n  }\n": types.UserFieldsFragmentDoc,
    "\n  query ApiTokens {\n    apiTokens {\n      ...ApiTokenFields\n    }\n  }\n": types.ApiTokensDocument,
    "\n  query Users {\n    users {\n      ...UserFields\n    }\n  }\n": types.UsersDocument,
    "\n  mutation CreateApiToken($input: CreateApiTokenInput!) {\n    createApiToken(input: $input) {\n      __typename\n      ... on CreateApiTokenSuccess {\n        secret\n        token {\n          ...ApiTokenFields\n        }\n      }\n      ... on UserError {\n        code\n        message\n        field\n      }\n    }\n  }\n": types.CreateApiTokenDocument,
    "\n  mutation RevokeApiToken($id: ID!) {\n    revokeApiToken(id: $id) {\n      __typename\n      ... on RevokeApiTokenSuccess {\n        token {\n          ...ApiTokenFields\n        }\n      }\n      ... on UserError {\n        code\n        message\n      }\n    }\n  }\n": types.RevokeApiTokenDocument,
    "\n  mutation CreateUser($input: CreateUserInput!) {\n    createUser(input: $input) {\n      __typename\n      ... on CreateUserSuccess {\n        user {\n          ...UserFields\n        }\n      }\n      ... on UserError {\n        code\n        message\n        field\n      }\n    }\n  }\n": types.CreateUserDocument,
    "\n  mutation UpdateUser($input: UpdateUserInput!) {\n    updateUser(input: $input) {\n      __typename\n      ... on UpdateUserSuccess {\n        user {\n          ...UserFields\n        }\n      }\n      ... on UserError {\n        code\n        message\n        field\n      }\n    }\n  }\n": types.UpdateUserDocument,
    "\n  mutation UploadDocuments($files: [Upload!]!) {\n    uploadDocuments(files: $files) {\n      documents {\n        ...DocumentRow\n      }\n      rejected {\n        filename\n        code\n        message\n      }\n    }\n  }\n": types.UploadDocumentsDocument,
    "\n  query Me {\n    me {\n      id\n      email\n      role\n    }\n  }\n": types.MeDocument,
    "\n  subscription JobEvents($afterEventId: ID) {\n    jobEvents(afterEventId: $afterEventId) {\n      ...JobEventFields\n    }\n  }\n": types.JobEventsDocument,
    "\n  subscription ReviewQueueLength {\n    reviewQueueLength\n  }\n": types.ReviewQueueLengthDocument,
    "\n  query DocumentRowById($id: ID!) {\n    document(id: $id) {\n      ...DocumentRow\n    }\n  }\n": types.DocumentRowByIdDocument,
    "\n  fragment JobSummary on Job {\n    id\n    status\n    progress\n    stage\n    errorCode\n    errorMessage\n    retryCount\n  }\n": types.JobSummaryFragmentDoc,
    "\n  fragment DocumentRow on Document {\n    id\n    originalFilename\n    fileSize\n    uploadedAt\n    status\n    latestJob {\n      ...JobSummary\n    }\n    extraction {\n      isFinalized\n      fields {\n        vendorName\n        totalAmount\n        currency\n      }\n    }\n    possibleDuplicates {\n      id\n    }\n  }\n": types.DocumentRowFragmentDoc,
    "\n  fragment JobEventFields on JobEvent {\n    id\n    jobId\n    documentId\n    type\n    status\n    progress\n    stage\n    message\n    attempt\n    occurredAt\n  }\n": types.JobEventFieldsFragmentDoc,
    "\n  mutation RetryJob($id: ID!) {\n    retryJob(id: $id) {\n      __typename\n      ... on RetryJobSuccess {\n        job {\n          ...JobSummary\n        }\n      }\n      ... on UserError {\n        code\n        message\n      }\n    }\n  }\n": types.RetryJobDocument,
    "\n  mutation CancelJob($id: ID!) {\n    cancelJob(id: $id) {\n      __typename\n      ... on CancelJobSuccess {\n        job {\n          ...JobSummary\n        }\n      }\n      ... on UserError {\n        code\n        message\n      }\n    }\n  }\n": types.CancelJobDocument,
    "\n  query NextToReview($after: ID) {\n    nextToReview(after: $after) {\n      id\n      originalFilename\n    }\n  }\n": types.NextToReviewDocument,
    "\n  query PreviousToReview($before: ID) {\n    previousToReview(before: $before) {\n      id\n      originalFilename\n    }\n  }\n": types.PreviousToReviewDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DocumentList(\n    $search: String\n    $filter: DocumentFilter\n    $sort: DocumentSort\n    $first: Int\n    $after: String\n  ) {\n    documents(search: $search, filter: $filter, sort: $sort, first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        cursor\n        node {\n          ...DocumentRow\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').DocumentListDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DocumentCounts {\n    documentCounts {\n      status\n      count\n    }\n  }\n"): typeof import('./graphql').DocumentCountsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation BulkFinalize($ids: [ID!], $filter: DocumentFilter, $search: String) {\n    bulkFinalize(ids: $ids, filter: $filter, search: $search) {\n      ...BulkResult\n    }\n  }\n"): typeof import('./graphql').BulkFinalizeDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation BulkRetry($ids: [ID!], $filter: DocumentFilter, $search: String) {\n    bulkRetry(ids: $ids, filter: $filter, search: $search) {\n      ...BulkResult\n    }\n  }\n"): typeof import('./graphql').BulkRetryDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation BulkCancel($ids: [ID!], $filter: DocumentFilter, $search: String) {\n    bulkCancel(ids: $ids, filter: $filter, search: $search) {\n      ...BulkResult\n    }\n  }\n"): typeof import('./graphql').BulkCancelDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment BulkResult on BulkActionResult {\n    __typename\n    ... on BulkActionSuccess {\n      succeeded\n      refused\n      results {\n        documentId\n        ok\n        code\n        message\n      }\n    }\n    ... on UserError {\n      code\n      message\n    }\n  }\n"): typeof import('./graphql').BulkResultFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment HistoryEntryFields on HistoryEntry {\n    id\n    action\n    occurredAt\n    actor {\n      kind\n      id\n      name\n    }\n    changes {\n      field\n      before\n      after\n    }\n  }\n"): typeof import('./graphql').HistoryEntryFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment InvoiceFieldsAll on InvoiceFields {\n    vendorName\n    invoiceNumber\n    invoiceDate\n    dueDate\n    totalAmount\n    taxAmount\n    currency\n    status\n    netAmount\n    sellerVatId\n    buyerName\n    iban\n    bic\n    orderReference\n    paymentTerms\n    taxBreakdown {\n      rate\n      netAmount\n      taxAmount\n    }\n    lineItems {\n      description\n      quantity\n      unit\n      unitPrice\n      netAmount\n      taxRate\n    }\n  }\n"): typeof import('./graphql').InvoiceFieldsAllFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment DocumentDetail on Document {\n    id\n    originalFilename\n    mimeType\n    fileSize\n    sha256\n    pageCount\n    uploadedAt\n    status\n    fileUrl\n    duplicateOf {\n      id\n      originalFilename\n    }\n    possibleDuplicates {\n      id\n      originalFilename\n      status\n    }\n    latestJob {\n      ...JobSummary\n      createdAt\n      startedAt\n      completedAt\n      events {\n        ...JobEventFields\n      }\n    }\n    history {\n      ...HistoryEntryFields\n    }\n    extraction {\n      extracted {\n        ...InvoiceFieldsAll\n      }\n      reviewed {\n        ...InvoiceFieldsAll\n      }\n      fields {\n        ...InvoiceFieldsAll\n      }\n      evidence {\n        field\n        confidence\n        page\n        bbox\n        source\n      }\n      checks {\n        name\n        passed\n        message\n        fields\n      }\n      isFinalized\n      finalizedAt\n      updatedAt\n      version\n    }\n  }\n"): typeof import('./graphql').DocumentDetailFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DocumentDetailById($id: ID!) {\n    document(id: $id) {\n      ...DocumentDetail\n    }\n  }\n"): typeof import('./graphql').DocumentDetailByIdDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ReviewDocument($input: ReviewDocumentInput!) {\n    reviewDocument(input: $input) {\n      __typename\n      ... on ReviewDocumentSuccess {\n        document {\n          ...DocumentDetail\n        }\n      }\n      ... on UserError {\n        code\n        message\n        field\n      }\n      ... on VersionConflictError {\n        currentVersion\n      }\n    }\n  }\n"): typeof import('./graphql').ReviewDocumentDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation FinalizeDocument($id: ID!, $confirmDuplicate: Boolean! = false) {\n    finalizeDocument(id: $id, confirmDuplicate: $confirmDuplicate) {\n      __typename\n      ... on FinalizeDocumentSuccess {\n        document {\n          ...DocumentDetail\n        }\n      }\n      ... on UserError {\n        code\n        message\n      }\n      ... on DuplicateSuspectedError {\n        duplicateIds\n      }\n    }\n  }\n"): typeof import('./graphql').FinalizeDocumentDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ReviewSettings {\n    reviewSettings {\n      confidenceThreshold\n    }\n  }\n"): typeof import('./graphql').ReviewSettingsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ApiTokenFields on ApiToken {\n    id\n    name\n    prefix\n    role\n    createdAt\n    expiresAt\n    lastUsedAt\n    revokedAt\n    owner {\n      id\n      email\n    }\n  }\n"): typeof import('./graphql').ApiTokenFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment UserFields on User {\n    id\n    email\n    role\n    disabled\n    createdAt\n    lastSignInAt\n  }\n"): typeof import('./graphql').UserFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ApiTokens {\n    apiTokens {\n      ...ApiTokenFields\n    }\n  }\n"): typeof import('./graphql').ApiTokensDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Users {\n    users {\n      ...UserFields\n    }\n  }\n"): typeof import('./graphql').UsersDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateApiToken($input: CreateApiTokenInput!) {\n    createApiToken(input: $input) {\n      __typename\n      ... on CreateApiTokenSuccess {\n        secret\n        token {\n          ...ApiTokenFields\n        }\n      }\n      ... on UserError {\n        code\n        message\n        field\n      }\n    }\n  }\n"): typeof import('./graphql').CreateApiTokenDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RevokeApiToken($id: ID!) {\n    revokeApiToken(id: $id) {\n      __typename\n      ... on RevokeApiTokenSuccess {\n        token {\n          ...ApiTokenFields\n        }\n      }\n      ... on UserError {\n        code\n        message\n      }\n    }\n  }\n"): typeof import('./graphql').RevokeApiTokenDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateUser($input: CreateUserInput!) {\n    createUser(input: $input) {\n      __typename\n      ... on CreateUserSuccess {\n        user {\n          ...UserFields\n        }\n      }\n      ... on UserError {\n        code\n        message\n        field\n      }\n    }\n  }\n"): typeof import('./graphql').CreateUserDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateUser($input: UpdateUserInput!) {\n    updateUser(input: $input) {\n      __typename\n      ... on UpdateUserSuccess {\n        user {\n          ...UserFields\n        }\n      }\n      ... on UserError {\n        code\n        message\n        field\n      }\n    }\n  }\n"): typeof import('./graphql').UpdateUserDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UploadDocuments($files: [Upload!]!) {\n    uploadDocuments(files: $files) {\n      documents {\n        ...DocumentRow\n      }\n      rejected {\n        filename\n        code\n        message\n      }\n    }\n  }\n"): typeof import('./graphql').UploadDocumentsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Me {\n    me {\n      id\n      email\n      role\n    }\n  }\n"): typeof import('./graphql').MeDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription JobEvents($afterEventId: ID) {\n    jobEvents(afterEventId: $afterEventId) {\n      ...JobEventFields\n    }\n  }\n"): typeof import('./graphql').JobEventsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription ReviewQueueLength {\n    reviewQueueLength\n  }\n"): typeof import('./graphql').ReviewQueueLengthDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DocumentRowById($id: ID!) {\n    document(id: $id) {\n      ...DocumentRow\n    }\n  }\n"): typeof import('./graphql').DocumentRowByIdDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment JobSummary on Job {\n    id\n    status\n    progress\n    stage\n    errorCode\n    errorMessage\n    retryCount\n  }\n"): typeof import('./graphql').JobSummaryFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment DocumentRow on Document {\n    id\n    originalFilename\n    fileSize\n    uploadedAt\n    status\n    latestJob {\n      ...JobSummary\n    }\n    extraction {\n      isFinalized\n      fields {\n        vendorName\n        totalAmount\n        currency\n      }\n    }\n    possibleDuplicates {\n      id\n    }\n  }\n"): typeof import('./graphql').DocumentRowFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment JobEventFields on JobEvent {\n    id\n    jobId\n    documentId\n    type\n    status\n    progress\n    stage\n    message\n    attempt\n    occurredAt\n  }\n"): typeof import('./graphql').JobEventFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RetryJob($id: ID!) {\n    retryJob(id: $id) {\n      __typename\n      ... on RetryJobSuccess {\n        job {\n          ...JobSummary\n        }\n      }\n      ... on UserError {\n        code\n        message\n      }\n    }\n  }\n"): typeof import('./graphql').RetryJobDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CancelJob($id: ID!) {\n    cancelJob(id: $id) {\n      __typename\n      ... on CancelJobSuccess {\n        job {\n          ...JobSummary\n        }\n      }\n      ... on UserError {\n        code\n        message\n      }\n    }\n  }\n"): typeof import('./graphql').CancelJobDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query NextToReview($after: ID) {\n    nextToReview(after: $after) {\n      id\n      originalFilename\n    }\n  }\n"): typeof import('./graphql').NextToReviewDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PreviousToReview($before: ID) {\n    previousToReview(before: $before) {\n      id\n      originalFilename\n    }\n  }\n"): typeof import('./graphql').PreviousToReviewDocument;


export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}
