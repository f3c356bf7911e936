/**
 * `POST /graphql`: parses the document (clients send several different documents under the same
 * operation name, and the read API none), validates it against the schema and runs it. Answers
 * are HTTP 200 with `data` and, when something failed, `errors` whose messages the client shows
 * the user; only a body that is not a GraphQL request is a 400. Non-finite numbers never appear
 * in `JSON` fields, so the answer is plain JSON (JSONString fields carry them inside their text).
 */
import { graphql, type GraphQLError } from "graphql";
import { parseExtended, RETRYABLE_ERROR_CODES, StepwiseError } from "@stepwise/protocol";
import { wandbRoot } from "./resolvers.js";
import { wandbSchema } from "./schema.js";
import type { WandbContext } from "./wandb-context.js";
import { WandbInputError } from "./wandb-errors.js";

interface GraphqlRequest {
  query: string;
  variables?: Record<string, unknown> | null;
  operationName?: string | null;
}

export async function answerGraphql(bodyText: string, ctx: WandbContext): Promise<Response> {
  const request = parseRequest(bodyText);
  if (typeof request === "string") return graphqlErrors(400, request);
  const result = await graphql({
    schema: wandbSchema(),
    source: request.query,
    rootValue: wandbRoot,
    contextValue: ctx,
    variableValues: request.variables ?? null,
    // The read API routed through wandb-core sends `"operationName": ""`: no name, not a name "".
    operationName: request.operationName === "" ? null : (request.operationName ?? null),
  });
  // A full disk (or the like) is worth retrying: 503 with Retry-After, which clients honour.
  const retryable = result.errors?.find((error) => {
    const original = error.originalError;
    return original instanceof StepwiseError && RETRYABLE_ERROR_CODES.has(original.code);
  });
  if (retryable !== undefined) {
    const response = graphqlErrors(503, retryable.message);
    response.headers.set("retry-after", "5");
    return response;
  }
  const errors = result.errors?.map((error) => errorOut(error, ctx));
  const body = errors === undefined ? { data: result.data } : { data: result.data ?? null, errors };
  return json(200, body);
}

export function graphqlErrors(status: number, message: string): Response {
  return json(status, { errors: [{ message }] });
}

function parseRequest(text: string): GraphqlRequest | string {
  let value: unknown;
  try {
    value = parseExtended(text);
  } catch {
    return "the body must be JSON: {query, variables?, operationName?}";
  }
  if (typeof value !== "object" || value === null || typeof (value as GraphqlRequest).query !== "string")
    return "the body must hold a GraphQL document in 'query'";
  return value as GraphqlRequest;
}

/** A resolver's error as the client sees it; a bug is logged and said to be one. */
function errorOut(
  error: GraphQLError,
  ctx: WandbContext,
): { message: string; path?: readonly (string | number)[] } {
  const original = error.originalError;
  const path = error.path === undefined ? {} : { path: error.path };
  if (original === undefined || original === null) return { message: error.message, ...path };
  if (original instanceof WandbInputError || original instanceof StepwiseError)
    return { message: original.message, ...path };
  ctx.log(`W&B GraphQL internal error (please report it): ${original.stack ?? original.message}`);
  return { message: "internal server error; the server log has the details", ...path };
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json; charset=utf-8" },
  });
}
