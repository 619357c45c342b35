import type { Metadata } from "next";
import { Suspense } from "react";
import { SignInForm } from "@/features/auth/SignInForm";
import { Spinner } from "@/components/States";

export const metadata: Metadata = { title: "Sign in" };

export default function SignInPage() {
  return (
    <Suspense fallback={<Spinner label="Loading…" />}>
      <SignInForm />
    </Suspense>
  );
}
