"use client";

/**
 * The signed-in user for every screen: `SessionProvider` asks the API who is calling (`me`) once
 * and renders its children only when someone is. Without a session the API answers
 * UNAUTHENTICATED and `gqlRequest` has already sent the browser to /signin.
 */
import { useQuery } from "@tanstack/react-query";
import { createContext, useCallback, useContext, type ReactNode } from "react";
import type { MeQuery as MeResult } from "@/gql/graphql";
import { ErrorState, Spinner } from "@/components/States";
import { useConfig } from "@/lib/config";
import { errorMessage, gqlRequest, GraphQLRequestError } from "@/lib/graphql";
import { MeQuery } from "./operations";
import { can as roleCan, type Permission } from "./permissions";
import { isUnauthenticated } from "./redirect";

export type Me = MeResult["me"];

export const meQueryKey = ["me"] as const;

const SessionContext = createContext<Me | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const config = useConfig();
  const query = useQuery({
    queryKey: meQueryKey,
    queryFn: () => gqlRequest(config, MeQuery),
    staleTime: Number.POSITIVE_INFINITY,
    retry: (count, error) => !(error instanceof GraphQLRequestError && isUnauthenticated(error.status, error.errors)) && count < 1,
  });
  if (query.isPending) {
    return (
      <div className="mx-auto max-w-7xl px-4 py-6 sm:px-6">
        <Spinner label="Checking your session…" />
      </div>
    );
  }
  if (query.isError) {
    const error = query.error;
    if (error instanceof GraphQLRequestError && isUnauthenticated(error.status, error.errors)) {
      return (
        <div className="mx-auto max-w-7xl px-4 py-6 sm:px-6">
          <Spinner label="Taking you to sign in…" />
        </div>
      );
    }
    return (
      <div className="mx-auto max-w-7xl px-4 py-6 sm:px-6">
        <ErrorState title="Could not reach the API" message={errorMessage(error)} onRetry={() => void query.refetch()} />
      </div>
    );
  }
  return <SessionContext.Provider value={query.data.me}>{children}</SessionContext.Provider>;
}

/** The signed-in user (inside `SessionProvider`). */
export function useMe(): Me {
  const me = useContext(SessionContext);
  if (!me) throw new Error("SessionProvider is missing");
  return me;
}

/** `can("review")`: whether the signed-in user's role may do it (see permissions.ts). */
export function useCan(): (permission: Permission) => boolean {
  const me = useContext(SessionContext);
  const role = me?.role;
  return useCallback((permission: Permission) => roleCan(role, permission), [role]);
}
