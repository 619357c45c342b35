import type { Metadata } from "next";
import { Suspense } from "react";
import { Dashboard } from "@/features/documents/Dashboard";
import { Spinner } from "@/components/States";

export const metadata: Metadata = { title: "Dashboard" };

export default function DashboardPage() {
  return (
    <Suspense fallback={<Spinner label="Loading…" />}>
      <Dashboard />
    </Suspense>
  );
}
