/**
 * Turns what a user hands to `log()`, `summary` or `config` into plain, storable data, or
 * throws an InvalidDataError that names the key path and the fix. Nothing of the call is kept
 * when it throws. Accepted: numbers (NaN and ±Infinity too), strings, booleans, null, bigint
 * (as a number), Date (ISO string), arrays, typed arrays, Set (array), Map (object), plain
 * objects, and objects with `toJSON()`. `undefined` members are left out, as JSON does.
 * The limits table holds too: keys of 1–1,024 characters at every level, at most 100 levels of
 * objects and arrays per value (protocol limits.ts), so the server never refuses what this accepts.
 */
import { InvalidDataError, keyProblem, MAX_VALUE_DEPTH } from "@stepwise/protocol";
import { isPlainObject } from "./deep-merge.js";
import {
  describeKey,
  isLoggable,
  isLoggableList,
  loggedValueOf,
  type Loggable,
} from "../media/logged-value.js";
import { PendingMedia } from "../media/pending-media.js";
import { CHART_TABLE, chartTableKey, isChartValue } from "../data-types/chart-marker.js";

export interface NormalizeOptions {
  /** What the error message calls the caller ("log()", "summary", "config"). */
  context: string;
  /** Config and explicit summary store NaN as null (W&B reference §2.7); history keeps it. */
  nanToNull: boolean;
}

/** Marks a value that is left out (undefined): callers drop the key. */
export const OMIT: unique symbol = Symbol("omit");

export function normalizeValue(
  value: unknown,
  path: readonly string[],
  options: NormalizeOptions,
  ancestors: object[] = [],
): unknown {
  switch (typeof value) {
    case "number":
      return options.nanToNull && Number.isNaN(value) ? null : value;
    case "string":
    case "boolean":
      return value;
    case "undefined":
      return OMIT;
    case "bigint":
      return Number(value);
    case "function":
      throw invalid(options, path, "is a function");
    case "symbol":
      throw invalid(options, path, "is a symbol");
  }
  if (value === null) return null;
  const object = value as object;
  if (ancestors.includes(object))
    throw invalid(options, path, "refers back to itself (a circular structure)");
  if (ancestors.length >= MAX_VALUE_DEPTH)
    throw new InvalidDataError(
      `${options.context}: the value at key "${path[0] ?? ""}" nests deeper than ${MAX_VALUE_DEPTH} levels of objects and arrays ` +
        "and cannot be stored; flatten it (log its leaves under separate keys) or store it as a file.",
    );
  ancestors.push(object);
  try {
    return normalizeObject(object, path, options, ancestors);
  } finally {
    ancestors.pop();
  }
}

function normalizeObject(
  object: object,
  path: readonly string[],
  options: NormalizeOptions,
  ancestors: object[],
): unknown {
  if (isLoggable(object)) return loggedOf(object, path, options, ancestors);
  if (Array.isArray(object) && object.length > 0 && isLoggableList(object))
    return loggedOf(object, path, options, ancestors);
  if (Array.isArray(object))
    return object.map((item, i) => itemOf(item, [...path, String(i)], options, ancestors));
  if (object instanceof Date) {
    if (Number.isNaN(object.getTime())) throw invalid(options, path, "is an invalid Date");
    return object.toISOString();
  }
  if (ArrayBuffer.isView(object) && !(object instanceof DataView)) {
    return Array.from(object as unknown as ArrayLike<number | bigint>, (n) => Number(n));
  }
  if (object instanceof Set)
    return [...object].map((item, i) => itemOf(item, [...path, String(i)], options, ancestors));
  if (object instanceof Map) {
    const out: Record<string, unknown> = {};
    for (const [key, member] of object) {
      if (typeof key !== "string" && typeof key !== "number")
        throw invalid(options, path, "is a Map with a key that is not a string or number");
      setMember(
        out,
        checkKey(String(key), path, options),
        normalizeValue(member, [...path, String(key)], options, ancestors),
      );
    }
    return out;
  }
  if (isPlainObject(object)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(object)) {
      // A custom chart under K is its table under `K_table` (data-types/chart-marker.ts).
      const member = object[key];
      const [name, value] = isChartValue(member)
        ? [chartTableKey(key), member[CHART_TABLE]()]
        : [key, member];
      setMember(
        out,
        checkKey(name, path, options),
        normalizeValue(value, [...path, name], options, ancestors),
      );
    }
    return out;
  }
  const toJSON = (object as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === "function") return normalizeValue(toJSON.call(object), path, options, ancestors);
  const kind = (object.constructor as { name?: string } | undefined)?.name ?? "object";
  throw invalid(
    options,
    path,
    `is an instance of ${kind}, which has no JSON form (give it a toJSON() method or log a plain object)`,
  );
}

/**
 * A data type (media/logged-value.ts): its JSON at once when it has no files, else a
 * PendingMedia that the run log writer completes once its files are written.
 */
function loggedOf(
  value: Loggable | Loggable[],
  path: readonly string[],
  options: NormalizeOptions,
  ancestors: object[],
): unknown {
  const logged = loggedValueOf(value, { context: options.context, path, key: describeKey(path) });
  if (logged.files.length === 0 && logged.config === undefined)
    return normalizeValue(logged.json, path, options, ancestors);
  return new PendingMedia(logged, path);
}

function itemOf(item: unknown, path: string[], options: NormalizeOptions, ancestors: object[]): unknown {
  const normalized = normalizeValue(item, path, options, ancestors);
  return normalized === OMIT ? null : normalized;
}

function setMember(out: Record<string, unknown>, key: string, value: unknown): void {
  if (value !== OMIT) out[key] = value;
}

function invalid(options: NormalizeOptions, path: readonly string[], problem: string): InvalidDataError {
  const where = path.length === 0 ? "the value" : `the value at key "${path.join(".")}"`;
  return new InvalidDataError(
    `${options.context}: ${where} ${problem} and cannot be stored. ` +
      "Use numbers, strings, booleans, null, arrays, plain objects or Stepwise data types.",
  );
}

/** Returns `key` when the limits table allows it; else throws naming where it is. */
export function checkKey(key: string, path: readonly string[], options: NormalizeOptions): string {
  const problem = keyProblem(key);
  if (problem === null) return key;
  const shown = key.length > 40 ? `${key.slice(0, 40)}…` : key;
  const where = path.length === 0 ? "" : ` inside "${path.join(".").slice(0, 200)}"`;
  throw new InvalidDataError(`${options.context}: the key "${shown}"${where} ${problem}`);
}
