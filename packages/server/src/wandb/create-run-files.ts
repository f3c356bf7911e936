/**
 * `createRunFiles`: one upload URL per file the client asks for, in the order asked (wandb-core
 * drops the whole batch when the count differs, and skips a file whose URL is null: a path
 * Stepwise cannot store gets null, with the reason in the server log).
 */
import { assertRunAccess } from "../auth/principal.js";
import { assertStorablePath } from "../http/file-path-error.js";
import { checkedRef, entityOr, storageId } from "./run-identity.js";
import { checkedPath, wandbUploadUrl } from "./upload-urls.js";
import type { WandbContext } from "./wandb-context.js";
import { WandbInputError } from "./wandb-errors.js";

export interface CreateRunFilesInput {
  entityName: string;
  projectName: string;
  runName: string;
  files: string[];
}

export interface CreateRunFilesPayload {
  runID: string;
  uploadHeaders: string[];
  files: Array<{ id: string; name: string; uploadUrl: string | null; directUrl: string; sizeBytes: number }>;
}

export async function createRunFiles(
  input: CreateRunFilesInput,
  ctx: WandbContext,
): Promise<CreateRunFilesPayload> {
  const ref = checkedRef({
    entity: entityOr(input.entityName, ctx.principal.entity),
    project: input.projectName,
    runId: input.runName,
  });
  assertRunAccess(ctx.principal, ref);
  if (!(await ctx.deps.store.hasRun(ref)))
    throw new WandbInputError(`run ${ref.entity}/${ref.project}/${ref.runId} does not exist on this server`);
  const now = ctx.deps.now();
  const files = input.files.map((name) => {
    let uploadUrl: string | null = null;
    try {
      const path = checkedPath(name);
      assertStorablePath(path);
      uploadUrl = wandbUploadUrl(ctx.deps.urls, ctx.origin, { ref, path }, now);
    } catch (error) {
      ctx.log(`W&B client file '${name.slice(0, 120)}' not taken: ${(error as Error).message}`);
    }
    return { id: name, name, uploadUrl, directUrl: "", sizeBytes: 0 };
  });
  return { runID: storageId(ref), uploadHeaders: [], files };
}
