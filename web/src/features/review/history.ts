/** The document's audit trail (`Document.history`): its fragment and how entries read. */
import { graphql } from "@/gql";

export const HistoryEntryFragment = graphql(`
  fragment HistoryEntryFields on HistoryEntry {
    id
    action
    occurredAt
    actor {
      kind
      id
      name
    }
    changes {
      field
      before
      after
    }
  }
`);

const ACTION_LABELS: Record<string, string> = {
  UPLOADED: "Uploaded",
  REVIEWED: "Reviewed",
  FINALIZED: "Finalized",
  RETRIED: "Retried",
  CANCELLED: "Cancelled",
  EXPORTED: "Exported",
};

/** "REVIEWED" → "Reviewed"; an action this build does not know reads as its name, humanized. */
export function actionLabel(action: string): string {
  return ACTION_LABELS[action] ?? action.charAt(0) + action.slice(1).toLowerCase().replace(/_/g, " ");
}

/** "user" / "token" / "system" → how the actor is introduced. */
export function actorLabel(actor: { kind: string; name: string }): string {
  if (actor.kind === "token") return `API token ${actor.name}`;
  if (actor.kind === "system") return actor.name || "the system";
  return actor.name;
}

/** A before/after value for display: null is "(empty)", long values are shortened. */
export function changeValue(value: string | null | undefined, max = 80): string {
  if (value === null || value === undefined || value === "") return "(empty)";
  return value.length > max ? `${value.slice(0, max - 1)}…` : value;
}
