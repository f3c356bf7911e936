/** Checks shared by the media types' options and lists. */
import { InvalidDataError } from "@stepwise/protocol";
import type { LogContext } from "./logged-value.js";

export function checkCaption(caption: unknown, type: string): void {
  if (caption !== undefined && typeof caption !== "string")
    throw new InvalidDataError(`${type}: caption must be a string, got ${typeof caption}`);
}

/** W&B's per-list limits (reference §8: 108 images, 100 audio clips): more is an error here, not a silent cut. */
export function checkListLength(count: number, max: number, what: string, ctx: LogContext): void {
  if (count > max)
    throw new InvalidDataError(
      `${ctx.context}: the list at ${ctx.key} holds ${count} ${what}; at most ${max} per list and step. ` +
        `Log fewer, or split them over several keys (e.g. "${ctx.path.join(".")}/0", "${ctx.path.join(".")}/1")`,
    );
}

/** `[caption or "" …]` when any item has a caption; W&B's lists of audio, video and molecules. */
export function listCaptions(captions: ReadonlyArray<string | undefined>): string[] | null {
  return captions.some((caption) => caption !== undefined) ? captions.map((caption) => caption ?? "") : null;
}
