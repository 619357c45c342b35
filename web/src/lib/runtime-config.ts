/** Runtime API location: pure helpers usable on the server and in the browser. */
/** Where the API lives. Read on the server at request time and handed to the browser. */
export type RuntimeConfig = {
  /** e.g. http://127.0.0.1:8000 (no trailing slash) */
  apiUrl: string;
  /** e.g. ws://127.0.0.1:8000/graphql */
  wsUrl: string;
};

export const DEFAULT_API_URL = "http://127.0.0.1:8000";

/** ws(s)://host/graphql from the API's http(s) origin. */
export function deriveWsUrl(apiUrl: string): string {
  const url = new URL(apiUrl);
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  url.pathname = `${url.pathname.replace(/\/+$/, "")}/graphql`;
  url.search = "";
  url.hash = "";
  return url.toString();
}

export function resolveConfig(apiUrl?: string | null, wsUrl?: string | null): RuntimeConfig {
  const api = (apiUrl && apiUrl.trim()) || DEFAULT_API_URL;
  const cleanApi = api.replace(/\/+$/, "");
  return { apiUrl: cleanApi, wsUrl: (wsUrl && wsUrl.trim()) || deriveWsUrl(cleanApi) };
}

/** Absolute URL of a REST path (or an absolute URL returned by the API, left as is). */
export function apiHref(config: RuntimeConfig, pathOrUrl: string): string {
  return new URL(pathOrUrl, `${config.apiUrl}/`).toString();
}
