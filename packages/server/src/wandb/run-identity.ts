/**
 * How W&B's names map onto Stepwise's runs: W&B's entity / project / run `name` (the run id in
 * URLs) are a RunRef's entity / project / runId; the run's opaque storage `id` (what the read
 * API and resumed clients send back) encodes that RunRef, so no table maps one to the other.
 * W&B's `displayName` is the Stepwise run's name.
 */
import { createHash, randomInt } from "node:crypto";
import { runRefSchema, type RunRef } from "@stepwise/protocol";
import { WandbInputError } from "./wandb-errors.js";

/** The project W&B clients use when none is set (Python's `auto_project_name` default). */
export const DEFAULT_PROJECT = "uncategorized";

const ID_PREFIX = "stepwise-run:";

export function storageId(ref: RunRef): string {
  return Buffer.from(ID_PREFIX + JSON.stringify([ref.entity, ref.project, ref.runId])).toString("base64url");
}

/** The RunRef a storage id names; a GraphQL error for anything this server did not hand out. */
export function refFromStorageId(id: string): RunRef {
  const text = Buffer.from(id, "base64url").toString("utf8");
  if (text.startsWith(ID_PREFIX)) {
    try {
      const [entity, project, runId] = JSON.parse(text.slice(ID_PREFIX.length)) as unknown[];
      return checkedRef({ entity, project, runId });
    } catch (error) {
      if (error instanceof WandbInputError) throw error;
    }
  }
  throw new WandbInputError(`run id '${id.slice(0, 80)}' was not handed out by this server`);
}

/** A RunRef from W&B's names, checked against Stepwise's name rules (a clear error otherwise). */
export function checkedRef(value: { entity: unknown; project: unknown; runId: unknown }): RunRef {
  const parsed = runRefSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = String(issue?.path[0] ?? "name");
  const shown = field === "runId" ? "run id" : field;
  throw new WandbInputError(
    `the ${shown} '${String(value[field as keyof typeof value]).slice(0, 80)}' is not allowed on Stepwise: ${issue?.message ?? "invalid"}`,
  );
}

/** W&B's own run id shape: 8 characters of [a-z0-9]. */
export function generateRunId(): string {
  const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
  let id = "";
  for (let i = 0; i < 8; i++) id += alphabet[randomInt(alphabet.length)];
  return id;
}

/** A stable numeric project id (the read API calls `int()` on it): 48 bits of a hash of the name. */
export function numericProjectId(entity: string, project: string): string {
  const digest = createHash("sha256").update(`${entity}\n${project}`).digest();
  return String(digest.readUIntBE(0, 6));
}

/** The entity a W&B request names; none or "" (an offline run being synced) is the key's own. */
export function entityOr(name: string | null | undefined, own: string): string {
  return name === null || name === undefined || name === "" ? own : name;
}
