/**
 * Asks the server who a key belongs to (`GET /api/v1/viewer`), so that `stepwise login` never
 * stores a key the server refuses, and says why when it does.
 */
import {
  apiPaths,
  AuthError,
  errorBodySchema,
  StepwiseError,
  viewerResponseSchema,
  type ViewerResponse,
} from "@stepwise/protocol";

export async function verifyKey(baseUrl: string, apiKey: string): Promise<ViewerResponse> {
  let response: Response;
  try {
    response = await fetch(baseUrl + apiPaths.viewer(), {
      headers: { authorization: `Bearer ${apiKey}` },
      signal: AbortSignal.timeout(30_000),
    });
  } catch (error) {
    const cause =
      error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : "";
    throw new StepwiseError(
      "UNAVAILABLE",
      `could not reach ${baseUrl} (${cause}); is 'stepwise server' running there? Pass --host <url>`,
    );
  }
  const text = await response.text();
  if (response.ok) {
    const viewer = viewerResponseSchema.safeParse(safeJson(text));
    if (viewer.success) return viewer.data;
    throw new StepwiseError(
      "UNAVAILABLE",
      `${baseUrl} answered, but not like a Stepwise server; check --host`,
    );
  }
  const body = errorBodySchema.safeParse(safeJson(text));
  const reason = body.success ? body.data.error.message : `HTTP ${response.status}`;
  if (response.status === 401 || response.status === 403)
    throw new AuthError(
      response.status === 401 ? "UNAUTHENTICATED" : "FORBIDDEN",
      `the server refused the key: ${reason}`,
    );
  throw new StepwiseError("UNAVAILABLE", `${baseUrl} could not check the key: ${reason}`);
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
