/**
 * One file, one GraphQL multipart request (https://github.com/jaydenseric/graphql-multipart-request-spec),
 * sent with XMLHttpRequest so the browser reports upload progress per file.
 *
 * The API guards multipart GraphQL against CSRF: the request must carry a header that forces a CORS
 * preflight, so we send `Apollo-Require-Preflight: true`. Content-Type is left to the browser (it
 * adds the multipart boundary).
 */
import { UploadDocumentsMutation } from "./operations";
import type { UploadDocumentsMutation as UploadResult } from "@/gql/graphql";
import type { RuntimeConfig } from "@/lib/config";
import { isUnauthenticated, redirectToSignIn } from "@/lib/auth/redirect";

export type UploadOutcome = UploadResult["uploadDocuments"];

export type UploadHandle = {
  promise: Promise<UploadOutcome>;
  abort: () => void;
};

export class UploadError extends Error {
  constructor(
    message: string,
    readonly code: string = "UPLOAD_FAILED",
  ) {
    super(message);
    this.name = "UploadError";
  }
}

export function uploadFile(
  config: RuntimeConfig,
  file: File,
  onProgress: (fraction: number) => void,
): UploadHandle {
  const xhr = new XMLHttpRequest();
  const promise = new Promise<UploadOutcome>((resolve, reject) => {
    const form = new FormData();
    form.append(
      "operations",
      JSON.stringify({ query: UploadDocumentsMutation.toString(), variables: { files: [null] } }),
    );
    form.append("map", JSON.stringify({ "0": ["variables.files.0"] }));
    form.append("0", file, file.name);

    xhr.open("POST", `${config.apiUrl}/graphql`);
    xhr.withCredentials = true; // the session cookie
    xhr.setRequestHeader("Apollo-Require-Preflight", "true");
    xhr.setRequestHeader("Accept", "application/json");
    xhr.responseType = "text";
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) onProgress(event.loaded / event.total);
    };
    xhr.upload.onload = () => onProgress(1);
    xhr.onerror = () => reject(new UploadError(`Cannot reach the API at ${config.apiUrl}.`, "NETWORK_ERROR"));
    xhr.onabort = () => reject(new UploadError("Upload cancelled.", "ABORTED"));
    xhr.onload = () => {
      let body: { data?: { uploadDocuments?: UploadOutcome }; errors?: { message: string }[]; error?: { code: string; message: string } } | null = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = null;
      }
      if (isUnauthenticated(xhr.status, (body?.errors ?? []) as { extensions?: unknown }[])) redirectToSignIn();
      const outcome = body?.data?.uploadDocuments;
      if (outcome) {
        resolve(outcome);
        return;
      }
      if (body?.errors?.length) {
        reject(new UploadError(body.errors.map((e) => e.message).join("; ")));
        return;
      }
      if (body?.error) {
        reject(new UploadError(body.error.message, body.error.code));
        return;
      }
      if (xhr.status === 413) {
        reject(new UploadError("The file is too large for the server.", "FILE_TOO_LARGE"));
        return;
      }
      reject(new UploadError(`The API answered ${xhr.status} ${xhr.statusText}.`));
    };
    xhr.send(form);
  });
  return { promise, abort: () => xhr.abort() };
}
