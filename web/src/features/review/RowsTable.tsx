"use client";

import { useFieldArray, type Control, type FieldErrors, type UseFormRegister } from "react-hook-form";
import { validateField, type FieldKind, type FormValues, type ListName } from "./fields";

type Column = { name: string; label: string; kind: FieldKind };

/** An editable table of one list field (tax breakdown or line items), replaced whole on save. */
export function RowsTable({
  name,
  title,
  columns,
  control,
  register,
  errors,
  emptyRow,
  maxRows,
  readOnly,
  marked,
  footer,
}: {
  name: ListName;
  title: string;
  columns: Column[];
  control: Control<FormValues>;
  register: UseFormRegister<FormValues>;
  errors: FieldErrors<FormValues>;
  emptyRow: () => Record<string, string>;
  maxRows: number;
  readOnly: boolean;
  /** A failed check involves this list: outline it. */
  marked: string | null;
  footer?: React.ReactNode;
}) {
  const { fields, append, remove } = useFieldArray({ control, name });
  const listErrors = errors[name] as unknown as (Record<string, { message?: string }> | undefined)[] | undefined;
  const rootError = (errors[name] as { root?: { message?: string }; message?: string } | undefined)?.message;
  return (
    <fieldset
      className={`min-w-0 rounded-md border p-3 ${marked ? "border-rose-300 bg-rose-50/40" : "border-slate-200"}`}
      data-testid={`table-${name}`}
    >
      <legend className="px-1 text-sm font-medium text-slate-800">
        {title} <span className="text-xs font-normal text-slate-500">({fields.length})</span>
      </legend>
      {marked ? (
        <p className="mb-2 text-xs text-rose-800" data-testid={`check-mark-${name}`}>
          Check failed: {marked}
        </p>
      ) : null}
      {rootError ? <p className="mb-2 text-xs text-rose-800">{rootError}</p> : null}
      {fields.length === 0 ? (
        <p className="text-xs text-slate-500">None.</p>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full min-w-[32rem] text-sm">
            <thead>
              <tr className="text-left text-xs text-slate-500">
                <th scope="col" className="w-6 pb-1 font-normal">
                  #
                </th>
                {columns.map((column) => (
                  <th key={column.name} scope="col" className="pb-1 pr-1 font-normal">
                    {column.label}
                  </th>
                ))}
                {!readOnly ? <th scope="col" className="sr-only">Remove</th> : null}
              </tr>
            </thead>
            <tbody>
              {fields.map((row, index) => (
                <tr key={row.id} data-testid={`${name}-row`}>
                  <td className="pr-1 text-xs tabular-nums text-slate-500">{index + 1}</td>
                  {columns.map((column) => {
                    const error = listErrors?.[index]?.[column.name];
                    const numeric = column.kind !== "text";
                    // A description needs room to be read; numbers fit narrow cells.
                    const wide = column.name === "description";
                    return (
                      <td key={column.name} className="py-0.5 pr-1 align-top">
                        <input
                          aria-label={`${title} ${index + 1} ${column.label}`}
                          title={error?.message}
                          readOnly={readOnly}
                          autoComplete="off"
                          inputMode={numeric ? "decimal" : undefined}
                          aria-invalid={error ? true : undefined}
                          data-testid={`${name}-${index}-${column.name}`}
                          className={`w-full rounded border px-2 py-1 text-sm ${wide ? "min-w-44" : ""} ${numeric ? "text-right tabular-nums" : ""} ${
                            error ? "border-rose-400 bg-rose-50" : "border-slate-300"
                          } ${readOnly ? "bg-slate-50 text-slate-700" : "bg-white"}`}
                          {...register(`${name}.${index}.${column.name}` as `lineItems.${number}.description`, {
                            validate: (value: string) => validateField(column.kind, value ?? "", 1000),
                          })}
                        />
                        {error ? <span className="block text-[11px] text-rose-700">{error.message || "Invalid"}</span> : null}
                      </td>
                    );
                  })}
                  {!readOnly ? (
                    <td className="align-top">
                      <button
                        type="button"
                        onClick={() => remove(index)}
                        aria-label={`Remove ${title.toLowerCase()} row ${index + 1}`}
                        className="rounded px-2 py-1 text-slate-500 hover:bg-slate-100 hover:text-rose-700"
                      >
                        ×
                      </button>
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <div className="mt-2 flex flex-wrap items-center justify-between gap-2">
        {!readOnly ? (
          <button
            type="button"
            disabled={fields.length >= maxRows}
            onClick={() => append(emptyRow() as never)}
            data-testid={`add-${name}`}
            className="rounded-md border border-slate-300 bg-white px-2 py-1 text-xs font-medium hover:bg-slate-50 disabled:opacity-50"
          >
            Add row
          </button>
        ) : (
          <span />
        )}
        {footer}
      </div>
    </fieldset>
  );
}
