/**
 * Reads an extended-JSON request body (NaN and ±Infinity allowed) and validates it with a schema.
 * The body must say it is JSON (`Content-Type: application/json`): a web page can send text/plain
 * or a form to any server without a CORS preflight, JSON only after one this server never grants.
 */
import { deeperThan, MAX_BODY_DEPTH, parseExtended, StepwiseError } from "@stepwise/protocol";
import type { z } from "zod";
import { InputError, parseInput } from "./input-error.js";
import { readBody, type BodyLimits } from "./read-body.js";

export async function readJsonBody<S extends z.ZodType>(
  request: Request,
  limits: BodyLimits,
  schema: S,
): Promise<z.output<S>> {
  requireJsonContentType(request.headers.get("content-type"));
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

/** Throws 415 unless the media type is `application/json` (parameters such as charset allowed). */
export function requireJsonContentType(header: string | null): void {
  const type = (header ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  if (type === "application/json") return;
  throw new StepwiseError(
    "UNSUPPORTED_MEDIA_TYPE",
    `the request body must be sent with 'Content-Type: application/json' (got ${
      header === null ? "none" : `'${header.slice(0, 100)}'`
    }); other types are refused because any web page can send them to this server unasked ` +
      "(curl: add -H 'Content-Type: application/json')",
  );
}
