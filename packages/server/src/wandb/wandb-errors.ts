/**
 * A request a W&B client sent that Stepwise cannot take (a name it does not allow, a run it does
 * not know, a feature not built yet). It becomes a GraphQL error whose message the client shows
 * the user (wandb-core prints it as the reason a run could not start), so it says what to do.
 */
export class WandbInputError extends Error {
  override readonly name = "WandbInputError";
}

/** A part of W&B's API this server does not answer yet (docs/wandb.md lists them). */
export function notSupportedYet(what: string): WandbInputError {
  return new WandbInputError(
    `${what} is not supported by this Stepwise server yet (see docs/wandb.md for what W&B clients can do here)`,
  );
}
