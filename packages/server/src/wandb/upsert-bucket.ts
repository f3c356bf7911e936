/**
 * `upsertBucket`: W&B's create-or-update of a run (wire protocol §3.4), as one ingest batch of
 * Stepwise's own (`applyBatch` with run metadata and, from the read API, a whole summary), so a
 * W&B run is stored exactly as a Stepwise run is. Fields left null change nothing; `config` is the
 * complete config (deep-merged into the stored one), `tags` replace, `summaryMetrics` replaces.
 */
import { runUpsertSchema, type RunRef, type RunUpsert } from "@stepwise/protocol";
import { assertRunAccess } from "../auth/principal.js";
import { checkValues } from "../http/batch-limits.js";
import type { StoreBatch } from "../store/store.js";
import { checkedRef, DEFAULT_PROJECT, entityOr, generateRunId, refFromStorageId } from "./run-identity.js";
import { WandbRun } from "./run-view.js";
import { parseJsonObject, unwrapConfig } from "./wandb-config.js";
import type { WandbContext } from "./wandb-context.js";
import { WandbInputError } from "./wandb-errors.js";

export interface UpsertBucketInput {
  id?: string | null;
  name?: string | null;
  groupName?: string | null;
  modelName?: string | null;
  entityName?: string | null;
  description?: string | null;
  displayName?: string | null;
  notes?: string | null;
  config?: string | null;
  commit?: string | null;
  host?: string | null;
  jobProgram?: string | null;
  jobType?: string | null;
  tags?: Array<string | null> | null;
  summaryMetrics?: string | null;
}

export async function upsertBucket(
  input: UpsertBucketInput,
  ctx: WandbContext,
): Promise<{ bucket: WandbRun; inserted: boolean; serverSettings: { serverMessages: [] } }> {
  const ref = refOf(input, ctx);
  assertRunAccess(ctx.principal, ref);
  const batch: StoreBatch = { run: runUpsertOf(input) };
  if (input.summaryMetrics !== undefined && input.summaryMetrics !== null) {
    const summary = parseJsonObject(input.summaryMetrics, "summaryMetrics");
    limited(() => checkValues(summary, "summaryMetrics"));
    batch.summary = summary;
  }
  const existed = await ctx.deps.store.hasRun(ref);
  const { run } = await ctx.deps.store.applyBatch(ref, batch, ctx.deps.now());
  // Python's own sender (`wandb sync`) asks for server messages once ServerSettings exists: none.
  return { bucket: new WandbRun(ref, run, ctx), inserted: !existed, serverSettings: { serverMessages: [] } };
}

/** By storage id when given (the read API, resumed runs), else by entity / project / name. */
function refOf(input: UpsertBucketInput, ctx: WandbContext): RunRef {
  if (input.id !== undefined && input.id !== null && input.id !== "") return refFromStorageId(input.id);
  const project = input.modelName ?? "";
  return checkedRef({
    entity: entityOr(input.entityName, ctx.principal.entity),
    project: project === "" ? DEFAULT_PROJECT : project,
    runId: input.name ?? generateRunId(),
  });
}

function runUpsertOf(input: UpsertBucketInput): RunUpsert {
  const upsert: RunUpsert = {};
  if (isSet(input.displayName)) upsert.name = input.displayName;
  const notes = input.notes ?? input.description;
  if (notes !== undefined && notes !== null) upsert.notes = notes;
  if (input.groupName !== undefined && input.groupName !== null) upsert.group = input.groupName;
  if (input.jobType !== undefined && input.jobType !== null) upsert.jobType = input.jobType;
  if (input.tags !== undefined && input.tags !== null)
    upsert.tags = input.tags.filter((tag): tag is string => isSet(tag));
  if (isSet(input.host)) upsert.host = input.host;
  if (isSet(input.jobProgram)) upsert.program = input.jobProgram;
  if (isSet(input.commit)) upsert.gitCommit = input.commit;
  if (input.config !== undefined && input.config !== null) {
    const config = unwrapConfig(input.config);
    limited(() => checkValues(config, "config"));
    upsert.config = config;
  }
  const parsed = runUpsertSchema.safeParse(upsert);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new WandbInputError(
      `the run's ${String(issue?.path.join(".") ?? "metadata")} is not allowed on Stepwise: ${issue?.message ?? "invalid"}`,
    );
  }
  return parsed.data;
}

function isSet(value: string | null | undefined): value is string {
  return value !== undefined && value !== null && value !== "";
}

/** The limits table's refusal (a key too long, a value nested too deep) as a message for the user. */
function limited(check: () => void): void {
  try {
    check();
  } catch (error) {
    throw new WandbInputError(error instanceof Error ? error.message : String(error));
  }
}
