/**
 * W&B's GraphQL schema, as far as its clients use it (docs/wandb.md; the type and field names are
 * visible to clients through fragments and introspection, so they are W&B's own). A real
 * graphql-js schema: introspection, validation and unknown-field errors behave as the clients
 * expect. Argument nullabilities accept the variables every known client document declares.
 * Scalars: `JSONString` is a string holding JSON (NaN and ±Infinity may appear inside it);
 * `JSON` a raw JSON value (never non-finite numbers); `Int64` a JSON number; `DateTime` ISO-8601.
 */
import { buildSchema, type GraphQLSchema } from "graphql";
import { ARTIFACT_SDL } from "./artifact-schema.js";

const SDL = /* GraphQL */ `
  scalar JSON
  scalar JSONString
  scalar Int64
  scalar DateTime
  scalar Duration

  type Query {
    viewer: User
    serverInfo: ServerInfo
    project(name: String, entityName: String): Project
    model(name: String, entityName: String): Project
  }

  type Mutation {
    upsertBucket(input: UpsertBucketInput!): UpsertBucketPayload
    createRunFiles(input: CreateRunFilesInput!): CreateRunFilesPayload
    stopRun(input: StopRunInput!): SuccessPayload
    markRunFilesUploaded(input: MarkRunFilesUploadedInput!): SuccessPayload
    notifyScriptableRunAlert(input: NotifyScriptableRunAlertInput!): SuccessPayload
    rewindRun(input: RewindRunInput!): RewindRunPayload
  }

  type User {
    id: ID!
    name: String!
    username: String
    email: String
    admin: Boolean
    flags: JSONString
    entity: String
    deletedAt: DateTime
    apiKeys: ApiKeyConnection
    teams: EntityConnection
  }
  type ApiKey {
    id: ID!
    name: String!
    description: String
  }
  type ApiKeyConnection {
    edges: [ApiKeyEdge!]!
  }
  type ApiKeyEdge {
    node: ApiKey
  }
  type Entity {
    id: ID!
    name: String!
  }
  type EntityConnection {
    edges: [EntityEdge!]!
  }
  type EntityEdge {
    node: Entity
  }

  type ServerInfo {
    cliVersionInfo: JSON!
    latestLocalVersionInfo: LocalVersionInfo
    features: [ServerFeature!]!
  }
  type LocalVersionInfo {
    outOfDate: Boolean!
    latestVersionString: String!
    versionOnThisInstanceString: String!
  }
  type ServerFeature {
    name: String!
    isEnabled: Boolean!
  }

  type Project {
    id: ID!
    internalId: ID!
    name: String!
    entityName: String!
    entity: Entity!
    readOnly: Boolean
    run(name: String!, desc: String): Run
    bucket(name: String!, missingOk: Boolean, desc: String): Run
    runCount(filters: JSONString): Int
    runs(filters: JSONString, after: String, first: Int, order: String): RunConnection
  }
  type RunConnection {
    edges: [RunEdge!]!
    pageInfo: PageInfo!
  }
  type RunEdge {
    node: Run
    cursor: String!
  }

  type Run {
    id: ID!
    name: String!
    projectId: ID!
    project: Project
    user: User
    displayName: String
    description: String
    notes: String
    tags: [String!]
    group: String
    jobType: String
    commit: String
    host: String
    sweepName: String
    state: String
    readOnly: Boolean
    stopped: Boolean
    exitcode: Float
    createdAt: DateTime!
    heartbeatAt: DateTime
    updatedAt: DateTime
    config(keys: [String!]): JSONString
    summaryMetrics(keys: [String!]): JSONString
    systemMetrics: JSONString
    wandbConfig(keys: [String!]): JSONString
    historyLineCount: Int
    eventsLineCount: Int
    logLineCount: Int
    historyTail: JSONString
    eventsTail: JSONString
    historyKeys: JSON
    history(samples: Int, minStep: Int64, maxStep: Int64): [String!]!
    events(samples: Int): [String!]!
    sampledHistory(specs: [JSONString!]!, packVersion: Int): [JSON!]!
    parquetHistory(liveKeys: [String!]!): ParquetHistory!
    fileCount: Int
    files(names: [String], after: String, first: Int, pattern: String): FileConnection
  }
  type ParquetHistory {
    parquetUrls: [String!]!
    liveData: [JSON!]!
  }
  type File {
    id: ID!
    name: String!
    url(upload: Boolean): String
    directUrl: String!
    sizeBytes: Int64!
    mimetype: String
    updatedAt: DateTime
    md5: String
    uploadUrl: String
  }
  type FileConnection {
    edges: [FileEdge!]!
    pageInfo: PageInfo!
    uploadHeaders: [String!]!
  }
  type FileEdge {
    node: File
    cursor: String!
  }
  type PageInfo {
    endCursor: String
    hasNextPage: Boolean!
  }

  input UpsertBucketInput {
    id: String
    name: String
    groupName: String
    modelName: String
    entityName: String
    description: String
    displayName: String
    notes: String
    config: JSONString
    commit: String
    host: String
    debug: Boolean
    jobProgram: String
    jobRepo: String
    jobType: String
    state: String
    sweep: String
    tags: [String]
    summaryMetrics: JSONString
    framework: String
    clientMutationId: String
  }
  type UpsertBucketPayload {
    bucket: Run
    inserted: Boolean
    serverSettings: ServerSettings
  }
  "Python's legacy sender (wandb sync) requires this type to exist (ProbeServerSettings)."
  type ServerSettings {
    serverMessages: [ServerMessage!]
  }
  type ServerMessage {
    utfText: String
    plainText: String
    htmlText: String
    messageType: String
    messageLevel: String
  }
  input CreateRunFilesInput {
    entityName: String!
    projectName: String!
    runName: String!
    files: [String!]!
  }
  type CreateRunFilesPayload {
    runID: ID!
    uploadHeaders: [String!]!
    files: [File!]!
  }
  input StopRunInput {
    id: ID!
  }
  input MarkRunFilesUploadedInput {
    entityName: String!
    projectName: String!
    runName: String!
    files: [String!]!
  }
  enum AlertSeverity {
    INFO
    WARN
    ERROR
  }
  input NotifyScriptableRunAlertInput {
    entityName: String!
    projectName: String!
    runName: String!
    title: String!
    text: String!
    severity: AlertSeverity
    waitDuration: Duration
  }
  input RewindRunInput {
    runName: String!
    entityName: String
    projectName: String
    metricName: String!
    metricValue: Float!
  }
  type RewindRunPayload {
    rewoundRun: Run
  }
  type SuccessPayload {
    success: Boolean
  }
`;

let built: GraphQLSchema | null = null;

/** Built once per process (about 10 ms), on the first W&B request. */
export function wandbSchema(): GraphQLSchema {
  built ??= buildSchema(SDL + ARTIFACT_SDL);
  return built;
}
