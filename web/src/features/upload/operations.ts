/** The uploader's one operation: a multipart upload of one or more PDFs or e-invoice XML files. */
import { graphql } from "@/gql";

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
