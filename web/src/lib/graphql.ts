/** A small typed GraphQL-over-HTTP client for the generated TypedDocumentStrings. */
import type { TypedDocumentString } from "@/gql/graphql";
import type { RuntimeConfig } from "./config";
import { isUnauthenticated, redirectToSignIn } from "./auth/redirect";

export type GraphQLErrorLike = { message: string; path?: (string | number)[]; extensions?: unknown };

export class GraphQLRequestError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
    readonly errors: GraphQLErrorLike[] = [],
  ) {
    super(message);
    this.name = "GraphQLRequestError";
  }
}

/** Variables argument: optional when the operation has none or only optional ones. */
type VariablesArg<V> = V extends Record<string, never> ? [variables?: V] : [variables: V];

export async function gqlRequest<TResult, TVariables>(
  config: RuntimeConfig,
  document: TypedDocumentString<TResult, TVariables>,
  ...[variables]: VariablesArg<TVariables>
): Promise<TResult> {
  let response: Response;
  try {
    response = await fetch(`${config.apiUrl}/graphql`, {
      method: "POST",
      // The session cookie rides along (the API is another origin of the same site).
      credentials: "include",
      headers: { "Content-Type": "application/json", Accept: "application/graphql-response+json, application/json" },
      body: JSON.stringify({ query: document.toString(), variables: variables ?? {} }),
    });
  } catch {
    throw new GraphQLRequestError(`Cannot reach the API at ${config.apiUrl}.`, null);
  }
  let body: { data?: TResult | null; errors?: GraphQLErrorLike[] } | null = null;
  try {
    body = await response.json();
  } catch {
    body = null;
  }
  if (isUnauthenticated(response.status, body?.errors ?? [])) {
    redirectToSignIn();
  }
  if (body?.errors?.length) {
    throw new GraphQLRequestError(body.errors.map((e) => e.message).join("; "), response.status, body.errors);
  }
  if (!response.ok || !body?.data) {
    throw new GraphQLRequestError(`The API answered ${response.status} ${response.statusText}.`, response.status);
  }
  return body.data;
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
