/**
 * W&B's artifact types and operations, as the pinned clients send them (docs/wandb.md), added to
 * the schema of schema.ts as type extensions. Logging: `createArtifact` → `createArtifactManifest`
 * and `createArtifactFiles` (upload URLs) → PUTs → `commitArtifact`; using: `useArtifact`, the
 * artifact looked up by name (`project.artifact`, `artifactCollectionMembership`,
 * `artifactCollection.artifactMembership`) or id (`artifact(id:)`), its manifest
 * (`currentManifest.file.directUrl`) and its files' download URLs (`files { directUrl }`).
 * Many fields exist only because a client's fragment names them; they answer null or empty.
 */
import { ARTIFACT_INPUT_SDL } from "./artifact-inputs.js";

export const ARTIFACT_SDL =
  ARTIFACT_INPUT_SDL +
  /* GraphQL */ `
    extend type Query {
      artifact(id: ID!): Artifact
      artifactCollection(id: ID!): ArtifactCollection
      entity(name: String!): EntityInfo
    }

    extend type Mutation {
      createArtifact(input: CreateArtifactInput!): CreateArtifactPayload
      createArtifactManifest(input: CreateArtifactManifestInput!): CreateArtifactManifestPayload
      updateArtifactManifest(input: UpdateArtifactManifestInput!): UpdateArtifactManifestPayload
      createArtifactFiles(input: CreateArtifactFilesInput!): CreateArtifactFilesPayload
      commitArtifact(input: CommitArtifactInput!): CommitArtifactPayload
      useArtifact(input: UseArtifactInput!): UseArtifactPayload
      createArtifactType(input: CreateArtifactTypeInput!): CreateArtifactTypePayload
      updateArtifact(input: UpdateArtifactInput!): UpdateArtifactPayload
      addAliases(input: AddAliasesInput!): SuccessPayload
      deleteAliases(input: DeleteAliasesInput!): SuccessPayload
      deleteArtifact(input: DeleteArtifactInput!): DeleteArtifactPayload
    }

    type DeleteArtifactPayload {
      artifact: Artifact!
    }

    type UpdateArtifactPayload {
      artifact: Artifact!
    }
    input AddAliasesInput {
      artifactID: ID!
      aliases: [ArtifactCollectionAliasInput!]!
      clientMutationId: String
    }

    extend type Run {
      outputArtifacts(after: String, first: Int): ArtifactConnection
      inputArtifacts(after: String, first: Int): InputArtifactConnection
    }
    type ArtifactConnection {
      totalCount: Int!
      edges: [ArtifactEdge!]!
      pageInfo: PageInfo!
    }
    type ArtifactEdge {
      node: Artifact
      cursor: String!
    }
    type InputArtifactConnection {
      totalCount: Int!
      edges: [InputArtifactEdge!]!
      pageInfo: PageInfo!
    }
    type InputArtifactEdge {
      node: Artifact
      cursor: String!
    }
    type VersionedArtifactConnection {
      totalCount: Int!
      edges: [VersionedArtifactEdge!]!
      pageInfo: PageInfo!
    }
    type VersionedArtifactEdge {
      node: Artifact
      cursor: String!
      version: String!
    }
    type ArtifactAliasConnection {
      edges: [ArtifactAliasEdge!]!
      pageInfo: PageInfo!
    }
    type ArtifactAliasEdge {
      node: ArtifactAlias
      cursor: String!
    }
    type ArtifactCollectionConnection {
      totalCount: Int!
      edges: [ArtifactCollectionEdge!]!
      pageInfo: PageInfo!
    }
    type ArtifactCollectionEdge {
      node: ArtifactCollection
      cursor: String!
    }
    type TagConnection {
      edges: [TagEdge!]!
    }
    type TagEdge {
      node: Tag
    }

    extend type Project {
      artifactCollections(
        after: String
        first: Int
        filters: JSONString
        order: String
      ): ArtifactCollectionConnection
      artifact(name: String!, enableTracking: Boolean): Artifact
      artifactType(name: String!): ArtifactType
      artifactCollection(name: String!): ArtifactCollection
      artifactSequence(name: String!): ArtifactSequence
      artifactCollectionMembership(name: String!): ArtifactCollectionMembership
    }

    type EntityInfo {
      id: ID!
      name: String!
      xxhashDigestsEnabled: Boolean
      "Null: no organization (W&B cloud's CoreWeave link, asked by 0.28.2 at init)."
      organization: Organization
    }
    type Organization {
      id: ID!
      name: String!
      coreWeaveOrganizationId: String
    }

    enum ArtifactState {
      PENDING
      COMMITTED
      DELETED
    }
    enum ArtifactDigestAlgorithm {
      MANIFEST_MD5
      MANIFEST_XXH128
    }
    enum ArtifactManifestType {
      FULL
      PATCH
      INCREMENTAL
    }
    enum ArtifactStorageLayout {
      V1
      V2
    }

    type Artifact {
      id: ID!
      digest: String!
      commitHash: String
      state: ArtifactState!
      versionIndex: Int
      description: String
      metadata: JSONString
      labels: JSONString
      size: Int64!
      fileCount: Int64!
      createdAt: DateTime!
      updatedAt: DateTime
      historyStep: Int64
      ttlDurationSeconds: Int64!
      ttlIsInherited: Boolean!
      aliases: [ArtifactAlias!]!
      tags: [Tag!]!
      artifactType: ArtifactType!
      artifactSequence: ArtifactSequence!
      currentManifest: ArtifactManifest
      files(names: [String!], after: String, first: Int): FileConnection!
      createdBy: ArtifactCreator
      storageLayout: ArtifactStorageLayout
    }
    union ArtifactCreator = Run | User
    type ArtifactAlias {
      id: ID
      alias: String!
      artifactCollectionName: String
      artifactCollection: ArtifactCollection
    }
    type Tag {
      id: ID!
      name: String!
      tagCategoryName: String
      attributes: JSONString
    }
    type ArtifactType {
      id: ID!
      name: String!
      description: String
      createdAt: DateTime
      artifact(name: String!): Artifact
      artifactCollection(name: String!): ArtifactCollection
      artifactSequence(name: String!): ArtifactSequence
      artifactCollections(
        after: String
        first: Int
        filters: JSONString
        order: String
      ): ArtifactCollectionConnection
    }
    interface ArtifactCollection {
      id: ID!
      name: String!
      description: String
      createdAt: DateTime
      project: Project
      defaultArtifactType: ArtifactType!
      artifactMembership(aliasName: String!): ArtifactCollectionMembership
      latestArtifact: Artifact
      updatedAt: DateTime
      tags: TagConnection
      artifacts(after: String, first: Int, order: String, filters: JSONString): VersionedArtifactConnection
      aliases(after: String, first: Int): ArtifactAliasConnection
    }
    type ArtifactSequence implements ArtifactCollection {
      id: ID!
      name: String!
      description: String
      createdAt: DateTime
      project: Project
      defaultArtifactType: ArtifactType!
      artifactMembership(aliasName: String!): ArtifactCollectionMembership
      latestArtifact: Artifact
      updatedAt: DateTime
      tags: TagConnection
      artifacts(after: String, first: Int, order: String, filters: JSONString): VersionedArtifactConnection
      aliases(after: String, first: Int): ArtifactAliasConnection
      digestAlgorithm: ArtifactDigestAlgorithm
    }
    type ArtifactPortfolio implements ArtifactCollection {
      id: ID!
      name: String!
      description: String
      createdAt: DateTime
      project: Project
      defaultArtifactType: ArtifactType!
      artifactMembership(aliasName: String!): ArtifactCollectionMembership
      latestArtifact: Artifact
      updatedAt: DateTime
      tags: TagConnection
      artifacts(after: String, first: Int, order: String, filters: JSONString): VersionedArtifactConnection
      aliases(after: String, first: Int): ArtifactAliasConnection
    }
    type ArtifactCollectionMembership {
      id: ID!
      versionIndex: Int
      aliases: [ArtifactAlias!]!
      artifactCollection: ArtifactCollection
      artifact: Artifact
      files(names: [String!], after: String, first: Int): FileConnection!
    }
    type ArtifactManifest {
      id: ID!
      file: File!
    }

    input CreateArtifactInput {
      artifactTypeName: String!
      artifactCollectionName: String
      artifactCollectionNames: [String!]
      entityName: String!
      projectName: String!
      runName: String
      description: String
      digest: String!
      digestAlgorithm: ArtifactDigestAlgorithm
      labels: JSONString
      aliases: [ArtifactAliasInput!]
      tags: [TagInput!]
      metadata: JSONString
      ttlDurationSeconds: Int64
      historyStep: Int64
      enableDigestDeduplication: Boolean
      distributedID: String
      clientID: ID
      sequenceClientID: ID
      storageRegion: String
      clientMutationId: String
    }
    type CreateArtifactPayload {
      artifact: Artifact!
    }
    type CreateArtifactManifestPayload {
      artifactManifest: ArtifactManifest!
    }
    type UpdateArtifactManifestPayload {
      artifactManifest: ArtifactManifest!
    }
    input UploadPartsInput {
      partNumber: Int64!
      hexMD5: String!
    }
    type CreateArtifactFilesPayload {
      files: FileConnection!
    }
    type CommitArtifactPayload {
      artifact: Artifact!
    }
    type UseArtifactPayload {
      artifact: Artifact!
    }
    type CreateArtifactTypePayload {
      artifactType: ArtifactType!
    }

    type UploadMultipartUrls {
      uploadID: String!
      uploadUrlParts: [UploadUrlPart!]!
    }
    type UploadUrlPart {
      partNumber: Int64!
      uploadUrl: String!
    }
    extend type File {
      displayName: String
      storagePath: String
      uploadHeaders: [String!]
      uploadMultipartUrls: UploadMultipartUrls
      artifact: Artifact
      digest: String
    }
  `;
