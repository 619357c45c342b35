/** Who is signed in (every screen's role checks read it). */
import { graphql } from "@/gql";

export const MeQuery = graphql(`
  query Me {
    me {
      id
      email
      role
    }
  }
`);
