/**
 * `run.logged_artifacts()` and `run.used_artifacts()` of W&B's read API (`Run.outputArtifacts`,
 * `Run.inputArtifacts`): the versions the run produced or used, from the store's lineage.
 */
import type { RunRef } from "@stepwise/protocol";
import { pageOf, type PageArgs } from "./artifact-page.js";
import { WandbArtifact } from "./artifact-view.js";
import type { WandbContext } from "./wandb-context.js";

export async function runArtifacts(
  ctx: WandbContext,
  ref: RunRef,
  which: "produced" | "used",
  args: PageArgs,
) {
  const lineage = await ctx.deps.store.artifacts.runLineage(ref);
  return pageOf(lineage[which], args, (version) => ({
    version: version.version,
    node: new WandbArtifact(version, ctx),
  }));
}
