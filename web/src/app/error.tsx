"use client";

import { ErrorState } from "@/components/States";

export default function RouteError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return <ErrorState title="Something went wrong" message={error.message || "Unexpected error."} onRetry={reset} />;
}
