/** The settings screen's operations: the caller's API tokens and (admins) the users. */
import { graphql } from "@/gql";

export const ApiTokenFieldsFragment = graphql(`
  fragment ApiTokenFields on ApiToken {
    id
    name
    prefix
    role
    createdAt
    expiresAt
    lastUsedAt
    revokedAt
    owner {
      id
      email
    }
  }
`);

export const UserFieldsFragment = graphql(`
  fragment UserFields on User {
    id
    email
    role
    disabled
    createdAt
    lastSignInAt
  }
`);

export const ApiTokensQuery = graphql(`
  query ApiTokens {
    apiTokens {
      ...ApiTokenFields
    }
  }
`);

export const UsersQuery = graphql(`
  query Users {
    users {
      ...UserFields
    }
  }
`);

export const CreateApiTokenMutation = graphql(`
  mutation CreateApiToken($input: CreateApiTokenInput!) {
    createApiToken(input: $input) {
      __typename
      ... on CreateApiTokenSuccess {
        secret
        token {
          ...ApiTokenFields
        }
      }
      ... on UserError {
        code
        message
        field
      }
    }
  }
`);

export const RevokeApiTokenMutation = graphql(`
  mutation RevokeApiToken($id: ID!) {
    revokeApiToken(id: $id) {
      __typename
      ... on RevokeApiTokenSuccess {
        token {
          ...ApiTokenFields
        }
      }
      ... on UserError {
        code
        message
      }
    }
  }
`);

export const CreateUserMutation = graphql(`
  mutation CreateUser($input: CreateUserInput!) {
    createUser(input: $input) {
      __typename
      ... on CreateUserSuccess {
        user {
          ...UserFields
        }
      }
      ... on UserError {
        code
        message
        field
      }
    }
  }
`);

export const UpdateUserMutation = graphql(`
  mutation UpdateUser($input: UpdateUserInput!) {
    updateUser(input: $input) {
      __typename
      ... on UpdateUserSuccess {
        user {
          ...UserFields
        }
      }
      ... on UserError {
        code
        message
        field
      }
    }
  }
`);
