/**
 * The typed errors of references (errors.ts's catalogue), each naming the artifact, the entry,
 * the URI and the fix: a reference that answers an error status, one that cannot be reached,
 * and one whose content changed since it was logged.
 */
import { AuthError, CorruptDataError, NotFoundError, StepwiseError, UsageError } from "@stepwise/protocol";

/** Which artifact and entry a reference belongs to, for messages. */
export interface ReferenceLabel {
  artifact: string;
  path: string;
  uri: string;
}

/** When it failed: while logging (sealing) the artifact, or downloading it. */
export type ReferenceStage = "logged" | "downloaded";

function subject(label: ReferenceLabel): string {
  return `artifact ${label.artifact}: the reference '${label.path}' (${label.uri})`;
}

function fixFor(stage: ReferenceStage): string {
  return stage === "logged"
    ? "check the URI and that this machine can read it, or add it with { checksum: false } to record the URI only"
    : "restore the object (or its access), or log a new version of the artifact without it";
}

/** The remote answered `status` (HTTP, or S3's HTTP status). */
export function referenceRefused(
  label: ReferenceLabel,
  status: number,
  stage: ReferenceStage,
): StepwiseError {
  const message = `${subject(label)} cannot be ${stage}: it answered HTTP ${status}; ${fixFor(stage)}`;
  if (status === 404 || status === 410) return new NotFoundError(message);
  if (status === 401) return new AuthError("UNAUTHENTICATED", message);
  if (status === 403) return new AuthError("FORBIDDEN", message);
  if (status === 429 || status >= 500) return new StepwiseError("UNAVAILABLE", message);
  return new UsageError(message);
}

/** The remote could not be reached (DNS, refused connection, timeout, a body cut off). */
export function referenceUnreachable(
  label: ReferenceLabel,
  error: unknown,
  stage: ReferenceStage,
): StepwiseError {
  return new StepwiseError(
    "UNAVAILABLE",
    `${subject(label)} cannot be ${stage}: ${reasonOf(error)}; ${fixFor(stage)}`,
  );
}

/** The content at the URI is not what was logged (`found`: e.g. `ETag abc`, or `12 bytes`). */
export function changedReference(label: ReferenceLabel, found: string, logged: string): CorruptDataError {
  return new CorruptDataError(
    `${subject(label)} changed since it was logged: it has ${found}, not the logged ${logged}; nothing was written for it. Log the artifact again to record the new content, or restore the logged object`,
  );
}

/** The innermost message of an error (fetch wraps the socket's in `cause`). */
export function reasonOf(error: unknown): string {
  let at: unknown = error;
  let reason = "unknown error";
  for (let depth = 0; depth < 4 && at instanceof Error; depth++) {
    reason = at.message;
    at = (at as Error & { cause?: unknown }).cause;
  }
  return reason;
}
