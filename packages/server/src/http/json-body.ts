/** Reads an extended-JSON request body (NaN and ±Infinity allowed) and validates it with a schema. */
import { deeperThan, MAX_BODY_DEPTH, parseExtended } from "@stepwise/protocol";
import type { z } from "zod";
import { InputError, parseInput } from "./input-error.js";
import { readBody, type BodyLimits } from "./read-body.js";

export async function readJsonBody<S extends z.ZodType>(
  request: Request,
  limits: BodyLimits,
  schema: S,
): Promise<z.output<S>> {
  const bytes = await readBody(request, limits);
  if (bytes.length === 0) throw new InputError([{ field: "body", message: "a JSON body is required" }]);
  const text = bytes.toString("utf8");
  let value: unknown;
  try {
    value = parseExtended(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message.slice(0, 200) : "unreadable";
    throw new InputError([{ field: "body", message: `not valid JSON (${reason})` }]);
  }
  // A first bound for the whole body, so that no schema or encoder meets a value deep enough to
  // overflow its stack; each value is then held to its own limit (batch-limits.ts).
  if (deeperThan(value, MAX_BODY_DEPTH))
    throw new InputError([{ field: "body", message: `nests deeper than ${MAX_BODY_DEPTH} levels` }]);
  return parseInput(schema, value, "body");
}
