/**
 * The live feed's operations: the one `jobEvents` subscription (every job), the review queue's
 * length, and one row's refresh after its job finished (vendor and total are not in the event).
 */
import { graphql } from "@/gql";

export const JobEventsSubscription = graphql(`
  subscription JobEvents($afterEventId: ID) {
    jobEvents(afterEventId: $afterEventId) {
      ...JobEventFields
    }
  }
`);

export const ReviewQueueLengthSubscription = graphql(`
  subscription ReviewQueueLength {
    reviewQueueLength
  }
`);

export const DocumentRowQuery = graphql(`
  query DocumentRowById($id: ID!) {
    document(id: $id) {
      ...DocumentRow
    }
  }
`);
