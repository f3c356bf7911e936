/**
 * A request that cannot be served as sent: a 400 whose body also lists each problem's field
 * (`details.issues`), so a client can show exactly what to fix.
 */
import { InvalidDataError } from "@stepwise/protocol";
import type { z } from "zod";

export interface InputIssue {
  /** Where: `body.history.rows[3]`, `query.limit`, `path.runId`. */
  field: string;
  message: string;
}

export class InputError extends InvalidDataError {
  readonly details: { issues: InputIssue[] };
  constructor(issues: InputIssue[]) {
    const shown = issues.slice(0, 3).map((issue) => `${issue.field}: ${issue.message}`);
    const more = issues.length > 3 ? ` (and ${issues.length - 3} more)` : "";
    super(`invalid request: ${shown.join("; ")}${more}`);
    this.details = { issues: issues.slice(0, 20) };
  }
}

/** Validates one part of a request; throws InputError naming each bad field. */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, where: string): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new InputError(
    result.error.issues.map((issue) => ({ field: fieldName(where, issue.path), message: issue.message })),
  );
}

function fieldName(where: string, path: ReadonlyArray<PropertyKey>): string {
  let out = where;
  for (const segment of path) {
    if (typeof segment === "number") out += `[${segment}]`;
    else {
      const text = String(segment);
      // Keys may be anything a user logged; cut them so that a huge key cannot bloat the reply.
      out += `.${text.length > 64 ? `${text.slice(0, 64)}…` : text}`;
    }
  }
  return out;
}
