/** Entity, project and run id from the URL path, validated like the ingest protocol validates them. */
import { entityNameSchema, projectNameSchema, runRefSchema, type RunRef } from "@stepwise/protocol";
import type { Context } from "hono";
import type { AppEnv } from "./app-env.js";
import { InputError, parseInput } from "./input-error.js";

export function entityParam(c: Context<AppEnv>): string {
  return parseInput(entityNameSchema, param(c, "entity"), "path.entity");
}

export function projectParams(c: Context<AppEnv>): { entity: string; project: string } {
  return {
    entity: entityParam(c),
    project: parseInput(projectNameSchema, param(c, "project"), "path.project"),
  };
}

export function runRefParam(c: Context<AppEnv>): RunRef {
  const raw = { entity: param(c, "entity"), project: param(c, "project"), runId: param(c, "runId") };
  return parseInput(runRefSchema, raw, "path");
}

/**
 * A decoded path parameter. Control characters are refused here whatever the name patterns
 * allow: a run id holding NUL or a newline would break logs, file names and terminals.
 */
function param(c: Context<AppEnv>, name: string): string {
  const value = c.req.param(name) ?? "";
  if (hasControlCharacter(value))
    throw new InputError([{ field: `path.${name}`, message: "must not contain control characters" }]);
  return value;
}

function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}
