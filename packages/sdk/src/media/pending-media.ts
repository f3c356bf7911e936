/**
 * A logged data type with files, as it sits in a history row or the summary between `log()` and
 * the moment its files are written: the run log writer (runlog/media-queue.ts) binds it to its
 * key and step, has the media worker encode and hash its files, and then `resolved` holds W&B's
 * JSON for it. `toJSON()` gives that JSON (waiting for the worker when it is not done yet), so
 * summary.json and summary records show what the history row shows.
 */
import { InvalidDataError } from "@stepwise/protocol";
import type { LoggedValue } from "./logged-value.js";

export class PendingMedia {
  /** How many were made in this process: 0 lets rows skip looking for them. */
  static created = 0;
  /** Files of all those made (checkMediaFilesPerCall compares before and after a call). */
  static files = 0;
  /** W&B's JSON with every file marker filled; null until the files are written. */
  resolved: unknown = null;
  /** Why its files could not be written (the value is left out of the row then). */
  failure: string | null = null;
  /**
   * Set by the media queue when it binds the value: waits for the worker and fills `resolved`
   * (one function per queue, called with the value: binding one allocates no closure).
   */
  resolver: ((media: PendingMedia) => void) | null = null;

  constructor(
    readonly logged: LoggedValue,
    /** Where the value was logged (key path in the row or the summary). */
    readonly path: readonly string[],
  ) {
    PendingMedia.created++;
    PendingMedia.files += logged.files.length;
  }

  toJSON(): unknown {
    if (this.resolved === null && this.failure === null) this.resolver?.(this);
    return this.resolved ?? placeholder(this.logged.json, this.failure);
  }
}

/**
 * Most media files one log() call or summary write may make: the media queue tracks at most
 * 4,096 files in flight (media-results.ts), and one row's files must fit at once.
 */
export const MAX_MEDIA_FILES_PER_CALL = 2048;

/** Throws when the call that started at `filesBefore` (PendingMedia.files) made too many media files. */
export function checkMediaFilesPerCall(filesBefore: number, context: string): void {
  const made = PendingMedia.files - filesBefore;
  if (made > MAX_MEDIA_FILES_PER_CALL)
    throw new InvalidDataError(
      `${context}: this call makes ${made} media files; at most ${MAX_MEDIA_FILES_PER_CALL} per call. ` +
        "Log the media over several steps or keys (a list of images, a table of media cells…)",
    );
}

/** What a value never bound to a run (a disabled run) or whose files failed shows: its type, no files. */
function placeholder(json: unknown, failure: string | null): unknown {
  const fields = (json as { fields?: { _type?: unknown }; _type?: unknown } | null) ?? {};
  const type = fields._type ?? fields.fields?._type ?? "media";
  return failure === null ? { _type: type, pending: true } : { _type: type, error: failure };
}

function isPlainContainer(value: unknown): value is Record<string, unknown> | unknown[] {
  if (typeof value !== "object" || value === null) return false;
  if (Array.isArray(value)) return true;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Calls `each` for every PendingMedia in a row or record value (plain objects and arrays). */
export function forEachPending(value: unknown, each: (media: PendingMedia) => void): void {
  if (value instanceof PendingMedia) each(value);
  else if (Array.isArray(value)) for (const item of value) forEachPending(item, each);
  else if (isPlainContainer(value)) {
    const object = value as Record<string, unknown>;
    for (const key in object) forEachPending(object[key], each);
  }
}

/** Whether a value holds a PendingMedia (never looks when none was ever made). */
export function hasPending(value: unknown): boolean {
  if (PendingMedia.created === 0) return false;
  let found = false;
  forEachPending(value, () => (found = true));
  return found;
}

/** Whether every PendingMedia in `value` has its files written (or failed): its JSON needs no wait. */
export function mediaSettled(value: unknown): boolean {
  if (PendingMedia.created === 0) return true;
  let settled = true;
  forEachPending(value, (media) => {
    if (media.resolved === null && media.failure === null) settled = false;
  });
  return settled;
}

/** Marks a member left out of the output (a media value whose files failed). */
const LEAVE_OUT = Symbol("leave out");

/**
 * A copy of `value` with each PendingMedia replaced by its JSON (`toJSON`, which waits for its
 * files); one whose files failed is left out of objects (null in arrays). Only containers on the
 * way to a PendingMedia are copied.
 */
export function withMediaJson(value: unknown): unknown {
  const out = replace(value);
  return out === LEAVE_OUT ? null : out;
}

function replace(value: unknown): unknown {
  if (value instanceof PendingMedia) {
    const json = value.toJSON();
    return value.failure !== null ? LEAVE_OUT : json;
  }
  if (Array.isArray(value)) {
    const items = value as unknown[];
    let copy: unknown[] | null = null;
    items.forEach((item, i) => {
      const replaced = replace(item);
      if (replaced === item) return;
      copy ??= [...items];
      copy[i] = replaced === LEAVE_OUT ? null : replaced;
    });
    return copy ?? value;
  }
  if (!isPlainContainer(value)) return value;
  const object = value as Record<string, unknown>;
  let copy: Record<string, unknown> | null = null;
  for (const key in object) {
    const member = object[key];
    const replaced = replace(member);
    if (replaced === member) continue;
    copy ??= { ...object };
    if (replaced === LEAVE_OUT) delete copy[key];
    else copy[key] = replaced;
  }
  return copy ?? value;
}
