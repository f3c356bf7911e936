/**
 * The root fields of W&B's GraphQL schema (schema.ts): who the key is, what this server offers,
 * projects and their runs, and the run lifecycle's mutations. Each takes the field's arguments
 * and the request's WandbContext.
 */
import { assertRunAccess } from "../auth/principal.js";
import {
  artifactById,
  commitArtifact,
  createArtifact,
  createArtifactFiles,
  createArtifactManifest,
  updateArtifactManifest,
  useArtifact,
  type CreateArtifactInput,
} from "./artifact-mutations.js";
import {
  addAliases,
  deleteAliases,
  deleteArtifact,
  updateArtifact,
  type UpdateArtifactInput,
} from "./artifact-updates.js";
import { createRunFiles, type CreateRunFilesInput } from "./create-run-files.js";
import { refFromStorageId } from "./run-identity.js";
import { WandbProject } from "./run-view.js";
import { upsertBucket, type UpsertBucketInput } from "./upsert-bucket.js";
import type { WandbContext } from "./wandb-context.js";
import { notSupportedYet } from "./wandb-errors.js";

/** What `serverInfo` says about this server; W&B clients only compare `max_cli_version`. */
const SERVER_VERSION = "0.99.0";

type ProjectArgs = { name?: string | null; entityName?: string | null };

export const wandbRoot = {
  viewer: (_args: unknown, ctx: WandbContext) => {
    const { principal } = ctx;
    const team = { node: { id: principal.entity, name: principal.entity } };
    return {
      id: principal.keyId ?? principal.entity,
      name: principal.name,
      username: principal.entity,
      email: null,
      admin: principal.admin,
      // `code_saving_enabled` would make clients upload code artifacts, which are not here yet.
      flags: "{}",
      entity: principal.entity,
      deletedAt: null,
      apiKeys: { edges: [] },
      teams: { edges: [team] },
    };
  },

  serverInfo: () => ({
    // Media take W&B's current paths only when the server says it takes clients this new.
    cliVersionInfo: { max_cli_version: SERVER_VERSION },
    latestLocalVersionInfo: {
      outOfDate: false,
      latestVersionString: SERVER_VERSION,
      versionOnThisInstanceString: SERVER_VERSION,
    },
    // None yet: FILESTREAM_GZIP would need gzip bodies tested end to end, STRUCTURED_CONSOLE_LOGS
    // a console format Stepwise does not parse.
    features: [],
  }),

  project: (args: ProjectArgs, ctx: WandbContext) => WandbProject.of(ctx, args.name, args.entityName),
  model: (args: ProjectArgs, ctx: WandbContext) => WandbProject.of(ctx, args.name, args.entityName),

  upsertBucket: (args: { input: UpsertBucketInput }, ctx: WandbContext) => upsertBucket(args.input, ctx),
  createRunFiles: (args: { input: CreateRunFilesInput }, ctx: WandbContext) =>
    createRunFiles(args.input, ctx),

  stopRun: async (args: { input: { id: string } }, ctx: WandbContext) => {
    const ref = refFromStorageId(args.input.id);
    assertRunAccess(ctx.principal, ref);
    await ctx.deps.store.updateRun(ref, { stopRequested: true });
    return { success: true };
  },

  artifact: (args: { id: string }, ctx: WandbContext) => artifactById(args.id, ctx),
  entity: (args: { name: string }) => ({
    id: args.name,
    name: args.name,
    xxhashDigestsEnabled: false,
    organization: null,
  }),
  createArtifact: (args: { input: CreateArtifactInput }, ctx: WandbContext) =>
    createArtifact(args.input, ctx),
  createArtifactManifest: (args: { input: { artifactID: string } }, ctx: WandbContext) =>
    createArtifactManifest(args.input, ctx),
  updateArtifactManifest: (args: { input: { artifactManifestID: string } }, ctx: WandbContext) =>
    updateArtifactManifest(args.input, ctx),
  createArtifactFiles: (
    args: { input: { artifactFiles: Array<{ artifactID: string; name: string; md5: string }> } },
    ctx: WandbContext,
  ) => createArtifactFiles(args.input, ctx),
  commitArtifact: (args: { input: { artifactID: string } }, ctx: WandbContext) =>
    commitArtifact(args.input, ctx),
  useArtifact: (
    args: { input: { entityName: string; projectName: string; runName: string; artifactID: string } },
    ctx: WandbContext,
  ) => useArtifact(args.input, ctx),
  updateArtifact: (args: { input: UpdateArtifactInput }, ctx: WandbContext) =>
    updateArtifact(args.input, ctx),
  addAliases: (
    args: { input: { artifactID: string; aliases: Array<{ alias: string }> } },
    ctx: WandbContext,
  ) => addAliases(args.input, ctx),
  deleteAliases: (
    args: { input: { artifactID: string; aliases: Array<{ alias: string }> } },
    ctx: WandbContext,
  ) => deleteAliases(args.input, ctx),
  deleteArtifact: (
    args: { input: { artifactID: string; deleteAliases?: boolean | null } },
    ctx: WandbContext,
  ) => deleteArtifact(args.input, ctx),
  createArtifactType: (args: { input: { name: string } }) => ({
    artifactType: { id: args.input.name, name: args.input.name },
  }),

  // Files are recorded when their PUT arrives; nothing is left to mark.
  markRunFilesUploaded: () => ({ success: true }),

  notifyScriptableRunAlert: () => {
    throw notSupportedYet("wandb.alert");
  },
  rewindRun: () => {
    throw notSupportedYet("resume_from (rewinding a run)");
  },
};
