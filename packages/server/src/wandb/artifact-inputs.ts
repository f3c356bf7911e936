/**
 * The input types of W&B's artifact mutations (artifact-schema.ts has the operations and
 * objects), with every field a pinned client sends, so validation accepts their documents.
 */
export const ARTIFACT_INPUT_SDL = /* GraphQL */ `
  input DeleteArtifactInput {
    artifactID: ID!
    deleteAliases: Boolean
    clientMutationId: String
  }

  input UpdateArtifactInput {
    artifactID: ID!
    description: String
    metadata: JSONString
    labels: JSONString
    aliases: [ArtifactAliasInput!]
    tagsToAdd: [TagInput!]
    tagsToDelete: [TagInput!]
    ttlDurationSeconds: Int64
    clientMutationId: String
  }

  input ArtifactCollectionAliasInput {
    alias: String!
    artifactCollectionName: String!
    entityName: String!
    projectName: String!
  }

  input DeleteAliasesInput {
    artifactID: ID!
    aliases: [ArtifactCollectionAliasInput!]!
    clientMutationId: String
  }

  input ArtifactAliasInput {
    artifactCollectionName: String!
    alias: String!
  }

  input TagInput {
    tagCategoryName: String
    tagName: String!
    attributes: JSONString
  }

  input CreateArtifactManifestInput {
    artifactID: ID!
    baseArtifactID: ID
    name: String!
    digest: String!
    entityName: String!
    projectName: String!
    runName: String!
    type: ArtifactManifestType
    includeUpload: Boolean
    clientMutationId: String
  }

  input UpdateArtifactManifestInput {
    artifactManifestID: ID!
    digest: String
    baseArtifactID: ID
    clientMutationId: String
  }

  input CreateArtifactFileSpecInput {
    artifactID: ID!
    name: String!
    md5: String!
    mimetype: String
    artifactManifestID: ID
    uploadPartsInput: [UploadPartsInput!]
    digest: String
  }

  input CreateArtifactFilesInput {
    artifactFiles: [CreateArtifactFileSpecInput!]!
    storageLayout: ArtifactStorageLayout!
    digestAlgorithm: ArtifactDigestAlgorithm
    clientMutationId: String
  }

  input CommitArtifactInput {
    artifactID: ID!
    clientMutationId: String
  }

  input UseArtifactInput {
    entityName: String!
    projectName: String!
    runName: String!
    artifactID: ID!
    usedAs: String
    artifactEntityName: String
    artifactProjectName: String
    clientMutationId: String
  }

  input CreateArtifactTypeInput {
    entityName: String!
    projectName: String!
    name: String!
    description: String
    clientMutationId: String
  }
`;
