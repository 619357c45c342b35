"use client";

import { useRouter, useSearchParams } from "next/navigation";
import { useEffect, useState } from "react";
import { useForm } from "react-hook-form";
import { useConfig } from "@/lib/config";
import { safeNext } from "@/lib/auth/redirect";
import { describeWait, hasSession, signIn, type SignInOutcome } from "./signin";

type Values = { email: string; password: string };

export function SignInForm() {
  const config = useConfig();
  const router = useRouter();
  const next = safeNext(useSearchParams().get("next"));
  const [outcome, setOutcome] = useState<SignInOutcome | null>(null);
  const { register, handleSubmit, formState } = useForm<Values>({ defaultValues: { email: "", password: "" } });

  // Already signed in (a bookmark of /signin, the back button): go on at once.
  useEffect(() => {
    let live = true;
    void hasSession(config).then((yes) => {
      if (yes && live) router.replace(next);
    });
    return () => {
      live = false;
    };
  }, [config, next, router]);

  const onSubmit = handleSubmit(async ({ email, password }) => {
    setOutcome(null);
    const result = await signIn(config, email.trim(), password);
    if (result.kind === "ok") {
      // A full navigation: every query and the live socket start over with the new session.
      window.location.assign(next);
      return;
    }
    setOutcome(result);
  });

  const { errors, isSubmitting } = formState;
  return (
    <div className="mx-auto mt-10 max-w-sm">
      <h1 className="text-2xl font-semibold tracking-tight">Sign in to Paperlane</h1>
      <form onSubmit={onSubmit} noValidate className="mt-6 space-y-4 rounded-lg border border-slate-200 bg-white p-6" data-testid="signin-form">
        <div>
          <label htmlFor="signin-email" className="block text-sm font-medium text-slate-700">
            Email
          </label>
          <input
            id="signin-email"
            type="email"
            autoComplete="username"
            autoFocus
            data-testid="signin-email"
            aria-invalid={errors.email ? true : undefined}
            className="mt-1 w-full rounded-md border border-slate-300 px-3 py-2 text-sm"
            {...register("email", {
              required: "Enter your email.",
              maxLength: { value: 320, message: "That is longer than any email address." },
            })}
          />
          {errors.email ? <p className="mt-1 text-xs text-rose-700">{errors.email.message}</p> : null}
        </div>
        <div>
          <label htmlFor="signin-password" className="block text-sm font-medium text-slate-700">
            Password
          </label>
          <input
            id="signin-password"
            type="password"
            autoComplete="current-password"
            data-testid="signin-password"
            aria-invalid={errors.password ? true : undefined}
            className="mt-1 w-full rounded-md border border-slate-300 px-3 py-2 text-sm"
            {...register("password", {
              required: "Enter your password.",
              maxLength: { value: 1024, message: "Passwords are at most 1024 characters." },
            })}
          />
          {errors.password ? <p className="mt-1 text-xs text-rose-700">{errors.password.message}</p> : null}
        </div>
        {outcome && outcome.kind !== "ok" ? (
          <p role="alert" className="rounded-md bg-rose-50 p-3 text-sm text-rose-800" data-testid="signin-error" data-code={codeOf(outcome)}>
            {messageOf(outcome)}
          </p>
        ) : null}
        <button
          type="submit"
          disabled={isSubmitting}
          data-testid="signin-submit"
          className="w-full rounded-md bg-indigo-600 px-3 py-2 text-sm font-medium text-white hover:bg-indigo-700 disabled:opacity-60"
        >
          {isSubmitting ? "Signing in…" : "Sign in"}
        </button>
      </form>
      <p className="mt-4 text-xs text-slate-500">Accounts are created by an administrator (Settings → Users, or `paperlane users create`).</p>
    </div>
  );
}

function codeOf(outcome: Exclude<SignInOutcome, { kind: "ok" }>): string {
  if (outcome.kind === "invalid") return "INVALID_CREDENTIALS";
  if (outcome.kind === "throttled") return "TOO_MANY_ATTEMPTS";
  return "ERROR";
}

function messageOf(outcome: Exclude<SignInOutcome, { kind: "ok" }>): string {
  if (outcome.kind === "invalid") return "Wrong email or password (or the account is disabled).";
  if (outcome.kind === "throttled") {
    return `Too many failed sign-ins. Try again ${describeWait(outcome.retryAfterSeconds)}.`;
  }
  return outcome.message;
}
