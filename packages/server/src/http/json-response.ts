/**
 * JSON responses. Run data goes out as extended JSON, because a summary or config may hold NaN
 * or ±Infinity that plain JSON cannot spell; series responses use plain JSON (non-finite → null).
 */
import { stringifyExtended } from "@stepwise/protocol";

const JSON_TYPE = "application/json; charset=utf-8";

export function extendedJson(data: unknown, status = 200): Response {
  return new Response(stringifyExtended(data), { status, headers: { "content-type": JSON_TYPE } });
}

export function plainJson(data: unknown, status = 200): Response {
  return new Response(JSON.stringify(data), { status, headers: { "content-type": JSON_TYPE } });
}
