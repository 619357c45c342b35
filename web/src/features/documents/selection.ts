/**
 * The dashboard's row selection for bulk actions (pure: unit-tested). Either picked ids, or
 * "all matching this filter" (then the API resolves the filter itself, at most 500 documents).
 */
import type { DocumentFilter } from "@/gql/graphql";

export type Selection = { ids: ReadonlySet<string>; allMatching: boolean };

export const EMPTY_SELECTION: Selection = { ids: new Set(), allMatching: false };

export function toggleOne(selection: Selection, id: string): Selection {
  const ids = new Set(selection.ids);
  if (ids.has(id)) ids.delete(id);
  else ids.add(id);
  return { ids, allMatching: false };
}

/** The header checkbox: select the whole page, or clear it when it is all selected already. */
export function togglePage(selection: Selection, pageIds: readonly string[]): Selection {
  const all = pageIds.length > 0 && pageIds.every((id) => selection.ids.has(id));
  const ids = new Set(selection.ids);
  for (const id of pageIds) {
    if (all) ids.delete(id);
    else ids.add(id);
  }
  return { ids, allMatching: false };
}

export function pageState(selection: Selection, pageIds: readonly string[]): "all" | "some" | "none" {
  if (selection.allMatching) return "all";
  const picked = pageIds.filter((id) => selection.ids.has(id)).length;
  if (picked === 0) return "none";
  return picked === pageIds.length ? "all" : "some";
}

/** The bulk mutation's arguments: the picked ids, or the list's own filter and search. */
export function selectionArgs(
  selection: Selection,
  list: { search?: string | null; filter?: DocumentFilter | null },
): { ids?: string[]; filter?: DocumentFilter; search?: string | null } {
  if (selection.allMatching) return { filter: list.filter ?? {}, search: list.search ?? null };
  return { ids: [...selection.ids] };
}

/** The export links' query string for a selection (`ids` repeated), or the filter's own. */
export function selectionExportQuery(selection: Selection, filterQuery: string): string {
  if (selection.allMatching) return filterQuery;
  const query = new URLSearchParams();
  for (const id of selection.ids) query.append("ids", id);
  const text = query.toString();
  return text ? `?${text}` : "";
}

/** Drop documents from the selection (e.g. the ones a bulk action did). */
export function without(selection: Selection, done: readonly string[]): Selection {
  if (selection.allMatching) return EMPTY_SELECTION;
  const ids = new Set(selection.ids);
  for (const id of done) ids.delete(id);
  return { ids, allMatching: false };
}
