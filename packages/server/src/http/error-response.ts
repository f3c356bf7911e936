/**
 * The one place where a failure becomes an HTTP response: a StepwiseError answers with its
 * catalogued status and `{ error: { code, message, details } }` (and Retry-After when retrying
 * helps); anything else is a bug, logged with its stack and answered 500.
 */
import {
  OffsetGapError,
  RETRYABLE_ERROR_CODES,
  StepwiseError,
  type ErrorBody,
  type ErrorCode,
  UploadOffsetError,
} from "@stepwise/protocol";
import { HTTPException } from "hono/http-exception";

/** Retry-After on a retryable refusal (a full disk): clients wait at least this long. */
const RETRY_AFTER_S = 5;

export function errorResponse(error: unknown, log: (line: string) => void): Response {
  if (error instanceof StepwiseError) {
    const response = errorBody(error.httpStatus, error.code, error.message, detailsOf(error));
    if (RETRYABLE_ERROR_CODES.has(error.code)) response.headers.set("retry-after", String(RETRY_AFTER_S));
    // The operator must learn of a full disk or a damaged store from the server log too.
    if (error.code === "STORAGE_FULL" || error.code === "STORE_CORRUPT") log(error.message);
    return response;
  }
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
  if (error instanceof UploadOffsetError) return { received: error.received };
  const details: unknown = (error as { details?: unknown }).details;
  return typeof details === "object" && details !== null ? (details as Record<string, unknown>) : undefined;
}
