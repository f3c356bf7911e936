/**
 * The one place where a failure becomes an HTTP response: a StepwiseError answers with its
 * catalogued status and `{ error: { code, message, details } }`; anything else is a bug, logged
 * with its stack and answered 500.
 */
import { OffsetGapError, StepwiseError, type ErrorBody, type ErrorCode } from "@stepwise/protocol";
import { HTTPException } from "hono/http-exception";

export function errorResponse(error: unknown, log: (line: string) => void): Response {
  if (error instanceof StepwiseError)
    return errorBody(error.httpStatus, error.code, error.message, detailsOf(error));
  if (error instanceof HTTPException && error.status < 500)
    return errorBody(error.status, error.status === 413 ? "PAYLOAD_TOO_LARGE" : "USAGE", error.message);
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  log(`internal error (please report it): ${detail}`);
  return errorBody(500, "INTERNAL", "internal server error; the server log has the details");
}

export function errorBody(
  status: number,
  code: ErrorCode,
  message: string,
  details?: Record<string, unknown>,
): Response {
  const body: ErrorBody = { error: details === undefined ? { code, message } : { code, message, details } };
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json; charset=utf-8" },
  });
}

function detailsOf(error: StepwiseError): Record<string, unknown> | undefined {
  if (error instanceof OffsetGapError) return { stream: error.stream, expected: error.expected };
  const details: unknown = (error as { details?: unknown }).details;
  return typeof details === "object" && details !== null ? (details as Record<string, unknown>) : undefined;
}
