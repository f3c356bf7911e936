/** Reads an extended-JSON request body (NaN and ±Infinity allowed) and validates it with a schema. */
import { parseExtended } from "@stepwise/protocol";
import type { z } from "zod";
import { InputError, parseInput } from "./input-error.js";
import { deeperThan } from "./value-depth.js";
import { readBody, type BodyLimits } from "./read-body.js";

/** Deeper than any real config or history row (media objects nest 3–4 levels). */
export const MAX_JSON_DEPTH = 100;

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
  if (deeperThan(value, MAX_JSON_DEPTH))
    throw new InputError([{ field: "body", message: `nests deeper than ${MAX_JSON_DEPTH} levels` }]);
  return parseInput(schema, value, "body");
}
