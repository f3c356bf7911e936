/**
 * A logged data type with files, as it sits in a history row or the summary between `log()` and
 * the moment its files are written: the run log writer (runlog/media-queue.ts) binds it to its
 * key and step, has the media worker encode and hash its files, and then `resolved` holds W&B's
 * JSON for it. `toJSON()` gives that JSON (waiting for the worker when it is not done yet), so
 * summary.json and summary records show what the history row shows.
 */
import type { LoggedValue } from "./logged-value.js";

export class PendingMedia {
  /** W&B's JSON with every file marker filled; null until the files are written. */
  resolved: unknown = null;
  /** Set by the media queue when it binds the value: waits for the worker and fills `resolved`. */
  resolver: (() => void) | null = null;

  constructor(
    readonly logged: LoggedValue,
    /** Where the value was logged (key path in the row or the summary). */
    readonly path: readonly string[],
  ) {}

  get bound(): boolean {
    return this.resolver !== null || this.resolved !== null;
  }

  toJSON(): unknown {
    if (this.resolved === null) this.resolver?.();
    return this.resolved ?? placeholder(this.logged.json);
  }
}

/** What a value never bound to a run shows (a disabled run's summary): its type, no files. */
function placeholder(json: unknown): unknown {
  const type = (json as { fields?: { _type?: unknown }; _type?: unknown } | null) ?? {};
  return { _type: type._type ?? type.fields?._type ?? "media", pending: true };
}

/** Calls `each` for every PendingMedia in a row or record value (plain objects and arrays). */
export function forEachPending(
  value: unknown,
  each: (media: PendingMedia, path: readonly string[]) => void,
): void {
  if (value instanceof PendingMedia) each(value, value.path);
  else if (Array.isArray(value)) for (const item of value) forEachPending(item, each);
  else if (typeof value === "object" && value !== null && Object.getPrototypeOf(value) === Object.prototype)
    for (const key in value) forEachPending((value as Record<string, unknown>)[key], each);
}
