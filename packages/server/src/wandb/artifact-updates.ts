/**
 * Changes to a logged artifact from W&B's clients (`artifact.aliases.append(…); artifact.save()`):
 * `addAliases` and `deleteAliases` (0.13+ servers), and `updateArtifact`, which older clients use
 * for aliases too. Aliases move through the store's `setAliases` (taken from whichever version
 * held them; `latest` stays the store's). Stepwise keeps a version's description, metadata and
 * tags as logged, so `updateArtifact` accepts them unchanged and refuses a change with a message.
 * `deleteArtifact` removes a version.
 */
import { isDeepStrictEqual } from "node:util";
import { artifactAliasSchema } from "@stepwise/protocol";
import { artifactById } from "./artifact-mutations.js";
import { WandbArtifact } from "./artifact-view.js";
import type { WandbContext } from "./wandb-context.js";
import { notSupportedYet, WandbInputError } from "./wandb-errors.js";

type AliasInputs = ReadonlyArray<{ alias: string }>;

export interface UpdateArtifactInput {
  artifactID: string;
  description?: string | null;
  metadata?: string | null;
  aliases?: AliasInputs | null;
  tagsToAdd?: readonly unknown[] | null;
  tagsToDelete?: readonly unknown[] | null;
}

async function required(id: string, ctx: WandbContext): Promise<WandbArtifact> {
  const artifact = await artifactById(id, ctx);
  if (artifact === null) throw new WandbInputError(`no artifact ${id} on this server`);
  return artifact;
}

function names(aliases: AliasInputs): string[] {
  return aliases
    .map((a) => a.alias)
    .filter((alias) => alias !== "latest" && !/^v\d+$/.test(alias))
    .map((alias) => {
      const parsed = artifactAliasSchema.safeParse(alias);
      if (!parsed.success)
        throw new WandbInputError(`the alias '${alias.slice(0, 130)}' is not one Stepwise can store`);
      return parsed.data;
    });
}

/** Sets the version's user aliases to `next` and answers the version as it is now. */
async function setAliases(
  artifact: WandbArtifact,
  next: string[],
  ctx: WandbContext,
): Promise<WandbArtifact> {
  const version = await ctx.deps.store.artifacts.setAliases(artifact.ref, [...new Set(next)], ctx.deps.now());
  return new WandbArtifact(version, ctx, artifact.id);
}

const userAliasesOf = (artifact: WandbArtifact): string[] =>
  artifact.version.aliases.filter((alias) => alias !== "latest");

export async function addAliases(input: { artifactID: string; aliases: AliasInputs }, ctx: WandbContext) {
  const artifact = await required(input.artifactID, ctx);
  await setAliases(artifact, [...userAliasesOf(artifact), ...names(input.aliases)], ctx);
  return { success: true };
}

export async function deleteAliases(input: { artifactID: string; aliases: AliasInputs }, ctx: WandbContext) {
  const artifact = await required(input.artifactID, ctx);
  const gone = new Set(input.aliases.map((a) => a.alias));
  await setAliases(
    artifact,
    userAliasesOf(artifact).filter((alias) => !gone.has(alias)),
    ctx,
  );
  return { success: true };
}

export async function updateArtifact(input: UpdateArtifactInput, ctx: WandbContext) {
  let artifact = await required(input.artifactID, ctx);
  const { version } = artifact;
  if (typeof input.description === "string" && input.description !== version.description)
    throw notSupportedYet("changing a logged artifact's description");
  if (typeof input.metadata === "string" && !isDeepStrictEqual(JSON.parse(input.metadata), version.metadata))
    throw notSupportedYet("changing a logged artifact's metadata");
  if ((input.tagsToAdd?.length ?? 0) > 0 || (input.tagsToDelete?.length ?? 0) > 0)
    throw notSupportedYet("changing a logged artifact's tags");
  if (input.aliases !== null && input.aliases !== undefined)
    artifact = await setAliases(artifact, names(input.aliases), ctx);
  return { artifact };
}

/**
 * `artifact.delete(delete_aliases=…)`: soft-deletes the version (the store's deleteVersion). As
 * on W&B, a version that holds aliases (`latest` too) is deleted only with `delete_aliases=True`.
 */
export async function deleteArtifact(
  input: { artifactID: string; deleteAliases?: boolean | null },
  ctx: WandbContext,
) {
  const artifact = await required(input.artifactID, ctx);
  const { aliases, name, version } = artifact.version;
  if (input.deleteAliases !== true && aliases.length > 0)
    throw new WandbInputError(
      `artifact ${name}:${version} holds the aliases ${aliases.join(", ")}; delete it with delete_aliases=True`,
    );
  await ctx.deps.store.artifacts.deleteVersion(artifact.ref, ctx.deps.now());
  return { artifact: { id: artifact.id } };
}
