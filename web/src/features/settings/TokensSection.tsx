"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useForm } from "react-hook-form";
import type { ApiTokenFieldsFragment, Role } from "@/gql/graphql";
import { ErrorState, Spinner } from "@/components/States";
import { grantableRoles, roleLabel } from "@/lib/auth/permissions";
import { useMe } from "@/lib/auth/session";
import { useConfig } from "@/lib/config";
import { formatDateTime } from "@/lib/format";
import { errorMessage, gqlRequest } from "@/lib/graphql";
import { ApiTokensQuery, CreateApiTokenMutation, RevokeApiTokenMutation } from "./operations";
import { parseExpiryDays, tokenState } from "./settings";

const tokensKey = ["apiTokens"] as const;
const INPUT = "mt-1 w-full rounded-md border border-slate-300 px-3 py-2 text-sm";

type CreateValues = { name: string; role: Role; expiresInDays: string };

export function TokensSection() {
  const config = useConfig();
  const me = useMe();
  const qc = useQueryClient();
  const tokens = useQuery({ queryKey: tokensKey, queryFn: () => gqlRequest(config, ApiTokensQuery) });
  const roles = grantableRoles(me.role);
  const [created, setCreated] = useState<{ name: string; secret: string } | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<CreateValues>({ defaultValues: { name: "", role: me.role, expiresInDays: "" } });
  const { register, handleSubmit, formState, reset, setError } = form;

  const create = useMutation({
    mutationFn: (input: { name: string; role: Role; expiresInDays: number | null }) =>
      gqlRequest(config, CreateApiTokenMutation, { input }),
    onSuccess: ({ createApiToken: result }) => {
      if (result.__typename === "CreateApiTokenSuccess") {
        setCreated({ name: result.token.name, secret: result.secret });
        reset({ name: "", role: me.role, expiresInDays: "" });
        void qc.invalidateQueries({ queryKey: tokensKey });
        return;
      }
      const field = "field" in result ? result.field : null;
      if (field === "name" || field === "role" || field === "expiresInDays") {
        setError(field, { message: result.message });
      } else {
        setFormError(`${result.message} (${result.code})`);
      }
    },
    onError: (error) => setFormError(errorMessage(error)),
  });

  const onSubmit = handleSubmit((values) => {
    setFormError(null);
    setCreated(null);
    const expiry = parseExpiryDays(values.expiresInDays);
    if ("error" in expiry) {
      setError("expiresInDays", { message: expiry.error });
      return;
    }
    create.mutate({ name: values.name.trim(), role: values.role, expiresInDays: expiry.days });
  });

  return (
    <section aria-labelledby="tokens-heading" className="space-y-4 rounded-lg border border-slate-200 bg-white p-5">
      <div>
        <h2 id="tokens-heading" className="text-lg font-semibold">
          API tokens
        </h2>
        <p className="text-sm text-slate-600">
          For integrations: send <code className="rounded bg-slate-100 px-1">Authorization: Bearer &lt;token&gt;</code>. A token can do no more than
          its role{me.role === "ADMIN" ? "; as an admin you see everyone's tokens" : ""}.
        </p>
      </div>

      {created ? <SecretPanel name={created.name} secret={created.secret} onDone={() => setCreated(null)} /> : null}

      <form onSubmit={onSubmit} noValidate className="grid gap-3 sm:grid-cols-[2fr_1fr_1fr_auto] sm:items-end" data-testid="token-form">
        <div>
          <label htmlFor="token-name" className="block text-sm font-medium text-slate-700">
            Name
          </label>
          <input
            id="token-name"
            data-testid="token-name"
            placeholder="e.g. accounting sync"
            className={INPUT}
            {...register("name", {
              validate: (v) => (v.trim() === "" ? "Name the token (what it is for)." : v.trim().length > 100 ? "At most 100 characters." : true),
            })}
          />
        </div>
        <div>
          <label htmlFor="token-role" className="block text-sm font-medium text-slate-700">
            Role
          </label>
          <select id="token-role" data-testid="token-role" className={INPUT} {...register("role")}>
            {roles.map((r) => (
              <option key={r} value={r}>
                {roleLabel(r)}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="token-expiry" className="block text-sm font-medium text-slate-700">
            Expires in days
          </label>
          <input id="token-expiry" inputMode="numeric" placeholder="never" data-testid="token-expiry" className={INPUT} {...register("expiresInDays")} />
        </div>
        <button
          type="submit"
          disabled={create.isPending}
          data-testid="token-create"
          className="rounded-md bg-indigo-600 px-4 py-2 text-sm font-medium text-white hover:bg-indigo-700 disabled:opacity-60"
        >
          {create.isPending ? "Creating…" : "Create token"}
        </button>
        {[formState.errors.name, formState.errors.role, formState.errors.expiresInDays].map((e, i) =>
          e ? (
            <p key={i} className="text-xs text-rose-700 sm:col-span-4" data-testid="token-form-error">
              {e.message}
            </p>
          ) : null,
        )}
        {formError ? (
          <p role="alert" className="text-sm text-rose-700 sm:col-span-4" data-testid="token-form-error">
            {formError}
          </p>
        ) : null}
      </form>

      {tokens.isPending ? (
        <Spinner label="Loading tokens…" />
      ) : tokens.isError ? (
        <ErrorState title="Could not load the tokens" message={errorMessage(tokens.error)} onRetry={() => void tokens.refetch()} />
      ) : tokens.data.apiTokens.length === 0 ? (
        <p className="text-sm text-slate-500" data-testid="tokens-empty">
          No tokens yet.
        </p>
      ) : (
        <TokensTable tokens={tokens.data.apiTokens} showOwner={me.role === "ADMIN"} onChanged={() => void qc.invalidateQueries({ queryKey: tokensKey })} />
      )}
    </section>
  );
}

/** The new token's secret: shown this once, with a copy button. */
function SecretPanel({ name, secret, onDone }: { name: string; secret: string; onDone: () => void }) {
  const [copied, setCopied] = useState<"yes" | "no" | null>(null);
  return (
    <div role="status" className="space-y-2 rounded-md border border-amber-300 bg-amber-50 p-4 text-sm text-amber-950" data-testid="token-secret-panel">
      <p className="font-medium">Token “{name}” created. Copy it now: it is shown only this once and cannot be recovered.</p>
      <div className="flex flex-wrap items-center gap-2">
        <code className="min-w-0 flex-1 break-all rounded bg-white px-2 py-1.5 font-mono text-xs ring-1 ring-amber-200" data-testid="token-secret">
          {secret}
        </code>
        <button
          type="button"
          data-testid="token-copy"
          onClick={() => {
            if (!navigator.clipboard) {
              setCopied("no");
              return;
            }
            navigator.clipboard.writeText(secret).then(
              () => setCopied("yes"),
              () => setCopied("no"),
            );
          }}
          className="rounded-md border border-amber-400 bg-white px-3 py-1.5 font-medium hover:bg-amber-100"
        >
          {copied === "yes" ? "Copied" : "Copy"}
        </button>
        <button type="button" data-testid="token-secret-done" onClick={onDone} className="rounded-md px-3 py-1.5 font-medium hover:bg-amber-100">
          Done
        </button>
      </div>
      {copied === "no" ? <p className="text-xs">The browser did not allow copying: select the text and copy it by hand.</p> : null}
    </div>
  );
}

function TokensTable({ tokens, showOwner, onChanged }: { tokens: ApiTokenFieldsFragment[]; showOwner: boolean; onChanged: () => void }) {
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-left text-sm">
        <thead className="text-xs uppercase tracking-wide text-slate-500">
          <tr>
            <th scope="col" className="py-2 pr-3">Name</th>
            {showOwner ? <th scope="col" className="py-2 pr-3">Owner</th> : null}
            <th scope="col" className="py-2 pr-3">Role</th>
            <th scope="col" className="py-2 pr-3">Created</th>
            <th scope="col" className="py-2 pr-3">Expires</th>
            <th scope="col" className="py-2 pr-3">Last used</th>
            <th scope="col" className="py-2 pr-3">State</th>
            <th scope="col" className="py-2"><span className="sr-only">Actions</span></th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {tokens.map((t) => (
            <TokenRow key={t.id} token={t} showOwner={showOwner} onChanged={onChanged} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function TokenRow({ token, showOwner, onChanged }: { token: ApiTokenFieldsFragment; showOwner: boolean; onChanged: () => void }) {
  const config = useConfig();
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const state = tokenState(token);
  const revoke = useMutation({
    mutationFn: () => gqlRequest(config, RevokeApiTokenMutation, { id: token.id }),
    onSuccess: ({ revokeApiToken: result }) => {
      setConfirming(false);
      if (result.__typename === "RevokeApiTokenSuccess") onChanged();
      else setError(result.message);
    },
    onError: (e) => setError(errorMessage(e)),
  });
  return (
    <tr data-testid="token-row" data-name={token.name} data-state={state}>
      <td className="py-2 pr-3">
        <span className="font-medium">{token.name}</span>
        <span className="ml-2 font-mono text-xs text-slate-500">{token.prefix}…</span>
      </td>
      {showOwner ? <td className="py-2 pr-3 text-slate-600">{token.owner.email}</td> : null}
      <td className="py-2 pr-3">{roleLabel(token.role)}</td>
      <td className="py-2 pr-3 tabular-nums text-slate-600">{formatDateTime(token.createdAt)}</td>
      <td className="py-2 pr-3 tabular-nums text-slate-600">{token.expiresAt ? formatDateTime(token.expiresAt) : "never"}</td>
      <td className="py-2 pr-3 tabular-nums text-slate-600">{token.lastUsedAt ? formatDateTime(token.lastUsedAt) : "never"}</td>
      <td className="py-2 pr-3">
        {state === "revoked" ? `revoked ${formatDateTime(token.revokedAt)}` : state}
      </td>
      <td className="py-2 text-right">
        {error ? <span className="mr-2 text-xs text-rose-700">{error}</span> : null}
        {state === "revoked" ? null : confirming ? (
          <span className="inline-flex items-center gap-1" data-testid="token-revoke-confirm">
            <span className="text-xs text-slate-600">Revoke? Integrations using it stop working.</span>
            <button
              type="button"
              data-testid="token-revoke-yes"
              disabled={revoke.isPending}
              onClick={() => revoke.mutate()}
              className="rounded-md bg-rose-600 px-2.5 py-1 text-xs font-medium text-white hover:bg-rose-700 disabled:opacity-60"
            >
              {revoke.isPending ? "Revoking…" : "Revoke"}
            </button>
            <button type="button" data-testid="token-revoke-no" onClick={() => setConfirming(false)} className="rounded-md px-2.5 py-1 text-xs font-medium hover:bg-slate-100">
              Keep
            </button>
          </span>
        ) : (
          <button
            type="button"
            data-testid="token-revoke"
            onClick={() => setConfirming(true)}
            className="rounded-md border border-slate-300 bg-white px-2.5 py-1 text-xs font-medium hover:bg-slate-50"
          >
            Revoke…
          </button>
        )}
      </td>
    </tr>
  );
}
