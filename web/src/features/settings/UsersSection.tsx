"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useForm } from "react-hook-form";
import type { Role, UserFieldsFragment } from "@/gql/graphql";
import { ErrorState, Spinner } from "@/components/States";
import { ROLES, roleLabel } from "@/lib/auth/permissions";
import { useMe } from "@/lib/auth/session";
import { useConfig } from "@/lib/config";
import { formatDateTime } from "@/lib/format";
import { errorMessage, gqlRequest } from "@/lib/graphql";
import { CreateUserMutation, UpdateUserMutation, UsersQuery } from "./operations";
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from "./settings";

const usersKey = ["users"] as const;
const INPUT = "mt-1 w-full rounded-md border border-slate-300 px-3 py-2 text-sm";

type CreateValues = { email: string; role: Role; password: string };

/** Admins: every user; create one with a role and an initial password, change roles, disable. */
export function UsersSection() {
  const config = useConfig();
  const qc = useQueryClient();
  const users = useQuery({ queryKey: usersKey, queryFn: () => gqlRequest(config, UsersQuery) });
  const [notice, setNotice] = useState<string | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const { register, handleSubmit, formState, reset, setError } = useForm<CreateValues>({
    defaultValues: { email: "", role: "VIEWER", password: "" },
  });

  const create = useMutation({
    mutationFn: (input: CreateValues) => gqlRequest(config, CreateUserMutation, { input }),
    onSuccess: ({ createUser: result }) => {
      if (result.__typename === "CreateUserSuccess") {
        setNotice(`Created ${result.user.email} (${roleLabel(result.user.role)}). Give them their password by a safe channel.`);
        reset({ email: "", role: "VIEWER", password: "" });
        void qc.invalidateQueries({ queryKey: usersKey });
        return;
      }
      const field = "field" in result ? result.field : null;
      if (field === "email" || field === "password" || field === "role") setError(field, { message: result.message });
      else setFormError(`${result.message} (${result.code})`);
    },
    onError: (e) => setFormError(errorMessage(e)),
  });

  const onSubmit = handleSubmit((values) => {
    setNotice(null);
    setFormError(null);
    create.mutate({ email: values.email.trim(), role: values.role, password: values.password });
  });

  return (
    <section aria-labelledby="users-heading" className="space-y-4 rounded-lg border border-slate-200 bg-white p-5" data-testid="users-section">
      <div>
        <h2 id="users-heading" className="text-lg font-semibold">
          Users
        </h2>
        <p className="text-sm text-slate-600">
          Admin: everything. Reviewer: upload, review, finalize, retry, cancel, export. Uploader: upload. Viewer: read and export. Disabling
          a user signs them out and revokes their tokens.
        </p>
      </div>
      <form onSubmit={onSubmit} noValidate className="grid gap-3 sm:grid-cols-[2fr_1fr_2fr_auto] sm:items-end" data-testid="user-form">
        <div>
          <label htmlFor="user-email" className="block text-sm font-medium text-slate-700">
            Email
          </label>
          <input
            id="user-email"
            type="email"
            autoComplete="off"
            data-testid="user-email"
            className={INPUT}
            {...register("email", {
              validate: (v) => (/^[^\s@]+@[^\s@]+$/.test(v.trim()) ? (v.trim().length <= 320 ? true : "At most 320 characters.") : "An email address, e.g. ana@example.com."),
            })}
          />
        </div>
        <div>
          <label htmlFor="user-role" className="block text-sm font-medium text-slate-700">
            Role
          </label>
          <select id="user-role" data-testid="user-role" className={INPUT} {...register("role")}>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {roleLabel(r)}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="user-password" className="block text-sm font-medium text-slate-700">
            Initial password
          </label>
          <input
            id="user-password"
            type="password"
            autoComplete="new-password"
            data-testid="user-password"
            className={INPUT}
            {...register("password", {
              minLength: { value: MIN_PASSWORD_LENGTH, message: `At least ${MIN_PASSWORD_LENGTH} characters.` },
              maxLength: { value: MAX_PASSWORD_LENGTH, message: `At most ${MAX_PASSWORD_LENGTH} characters.` },
              required: `At least ${MIN_PASSWORD_LENGTH} characters.`,
            })}
          />
        </div>
        <button
          type="submit"
          disabled={create.isPending}
          data-testid="user-create"
          className="rounded-md bg-indigo-600 px-4 py-2 text-sm font-medium text-white hover:bg-indigo-700 disabled:opacity-60"
        >
          {create.isPending ? "Creating…" : "Create user"}
        </button>
        {[formState.errors.email, formState.errors.role, formState.errors.password].map((e, i) =>
          e ? (
            <p key={i} className="text-xs text-rose-700 sm:col-span-4" data-testid="user-form-error">
              {e.message}
            </p>
          ) : null,
        )}
        {formError ? (
          <p role="alert" className="text-sm text-rose-700 sm:col-span-4" data-testid="user-form-error">
            {formError}
          </p>
        ) : null}
      </form>
      {notice ? (
        <p role="status" className="text-sm text-emerald-800" data-testid="user-created">
          {notice}
        </p>
      ) : null}

      {users.isPending ? (
        <Spinner label="Loading users…" />
      ) : users.isError ? (
        <ErrorState title="Could not load the users" message={errorMessage(users.error)} onRetry={() => void users.refetch()} />
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full text-left text-sm">
            <thead className="text-xs uppercase tracking-wide text-slate-500">
              <tr>
                <th scope="col" className="py-2 pr-3">Email</th>
                <th scope="col" className="py-2 pr-3">Role</th>
                <th scope="col" className="py-2 pr-3">Created</th>
                <th scope="col" className="py-2 pr-3">Last sign-in</th>
                <th scope="col" className="py-2"><span className="sr-only">Actions</span></th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {users.data.users.map((u) => (
                <UserRow key={u.id} user={u} onChanged={() => void qc.invalidateQueries({ queryKey: usersKey })} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function UserRow({ user, onChanged }: { user: UserFieldsFragment; onChanged: () => void }) {
  const config = useConfig();
  const me = useMe();
  const self = user.id === me.id;
  const [error, setError] = useState<string | null>(null);
  const update = useMutation({
    mutationFn: (change: { role?: Role; disabled?: boolean }) => gqlRequest(config, UpdateUserMutation, { input: { id: user.id, ...change } }),
    onSuccess: ({ updateUser: result }) => {
      if (result.__typename === "UpdateUserSuccess") {
        setError(null);
        onChanged();
      } else setError(result.message);
    },
    onError: (e) => setError(errorMessage(e)),
  });
  return (
    <tr data-testid="user-row" data-email={user.email} data-role={user.role} data-disabled={user.disabled ? "true" : "false"}>
      <td className="py-2 pr-3">
        <span className={user.disabled ? "text-slate-400 line-through" : "font-medium"}>{user.email}</span>
        {self ? <span className="ml-2 text-xs text-slate-500">(you)</span> : null}
        {user.disabled ? <span className="ml-2 text-xs text-rose-700">disabled</span> : null}
      </td>
      <td className="py-2 pr-3">
        <label className="sr-only" htmlFor={`role-${user.id}`}>
          Role of {user.email}
        </label>
        <select
          id={`role-${user.id}`}
          value={user.role}
          disabled={self || update.isPending}
          title={self ? "You cannot change your own role" : undefined}
          data-testid="user-row-role"
          onChange={(e) => update.mutate({ role: e.target.value as Role })}
          className="rounded-md border border-slate-300 px-2 py-1 text-sm disabled:bg-slate-50"
        >
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {roleLabel(r)}
            </option>
          ))}
        </select>
      </td>
      <td className="py-2 pr-3 tabular-nums text-slate-600">{formatDateTime(user.createdAt)}</td>
      <td className="py-2 pr-3 tabular-nums text-slate-600">{user.lastSignInAt ? formatDateTime(user.lastSignInAt) : "never"}</td>
      <td className="py-2 text-right">
        {error ? <span className="mr-2 text-xs text-rose-700">{error}</span> : null}
        {self ? null : (
          <button
            type="button"
            data-testid="user-toggle-disabled"
            disabled={update.isPending}
            onClick={() => update.mutate({ disabled: !user.disabled })}
            className="rounded-md border border-slate-300 bg-white px-2.5 py-1 text-xs font-medium hover:bg-slate-50 disabled:opacity-60"
          >
            {user.disabled ? "Enable" : "Disable"}
          </button>
        )}
      </td>
    </tr>
  );
}
