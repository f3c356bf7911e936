/** The 404 for a run that is not on this server, naming it in full. */
import { NotFoundError, type RunRef } from "@stepwise/protocol";

export function unknownRun(ref: RunRef): NotFoundError {
  return new NotFoundError(`run '${ref.entity}/${ref.project}/${ref.runId}' does not exist on this server`);
}
