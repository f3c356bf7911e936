/**
 * Parses the run and project paths the `Api` client takes (`entity/project/runId`,
 * `entity/project`), checked against the protocol's name rules so that a typo fails here with
 * a message instead of as a 404 from a mangled URL.
 */
import {
  entityNameSchema,
  projectNameSchema,
  runIdSchema,
  UsageError,
  type RunRef,
} from "@stepwise/protocol";

export interface ProjectRef {
  entity: string;
  project: string;
}

export function parseRunPath(path: string): RunRef {
  const parts = path.split("/");
  if (parts.length !== 3)
    throw new UsageError(
      `run path ${JSON.stringify(path)} must be entity/project/runId (three parts separated by /)`,
    );
  const [entity = "", project = "", runId = ""] = parts;
  checkName(entity, "entity", path);
  checkName(project, "project", path);
  if (!runIdSchema.safeParse(runId).success)
    throw new UsageError(`run path ${JSON.stringify(path)}: ${JSON.stringify(runId)} is not a valid run id`);
  return { entity, project, runId };
}

export function parseProjectPath(path: string): ProjectRef {
  const parts = path.split("/");
  if (parts.length !== 2)
    throw new UsageError(
      `project path ${JSON.stringify(path)} must be entity/project (two parts separated by /)`,
    );
  const [entity = "", project = ""] = parts;
  checkName(entity, "entity", path);
  checkName(project, "project", path);
  return { entity, project };
}

function checkName(value: string, what: "entity" | "project", path: string): void {
  const schema = what === "entity" ? entityNameSchema : projectNameSchema;
  if (!schema.safeParse(value).success)
    throw new UsageError(
      `path ${JSON.stringify(path)}: ${JSON.stringify(value)} is not a valid ${what} name (1–128 characters, none of / \\ # ? % :)`,
    );
}
