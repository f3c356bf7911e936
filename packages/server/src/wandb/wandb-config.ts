/**
 * W&B clients send and read a run's config wrapped: `{"lr": {"value": 0.1, "desc": null},
 * "_wandb": {"value": {...}}}`. Stepwise keeps the values themselves (`{"lr": 0.1, "_wandb":
 * {...}}`, as its own SDK logs them), so the config looks the same in the UI and the API
 * whichever client logged it. `desc` is not kept.
 */
import { parseExtended, stringifyExtended } from "@stepwise/protocol";
import { WandbInputError } from "./wandb-errors.js";

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * A config as a W&B client sent it (JSONString), as Stepwise keeps it. A top-level value that is
 * not wrapped (the JS SDK sends the user's map as it is) is kept as it is.
 */
export function unwrapConfig(text: string): Json {
  const parsed = parseJsonObject(text, "config");
  const out: Json = {};
  for (const [key, value] of Object.entries(parsed))
    out[key] = isObject(value) && "value" in value ? value["value"] : value;
  return out;
}

/** A stored config as W&B clients read it: each top-level value wrapped, `keys` only when given. */
export function wrapConfig(config: Json, keys?: readonly string[] | null): string {
  const out: Json = {};
  for (const [key, value] of Object.entries(config))
    if (keys === undefined || keys === null || keys.includes(key)) out[key] = { value, desc: null };
  return stringifyExtended(out);
}

/** The `_wandb` entry of a stored config (what `wandbConfig(keys)` answers), reduced to `keys`. */
export function wandbConfigOf(config: Json, keys?: readonly string[] | null): string {
  const wandb = config["_wandb"];
  const out: Json = {};
  if (isObject(wandb))
    for (const [key, value] of Object.entries(wandb))
      if (keys === undefined || keys === null || keys.includes(key)) out[key] = value;
  return stringifyExtended(out);
}

/** An object reduced to `keys` when given, as extended JSON text. */
export function pickKeys(values: Json, keys?: readonly string[] | null): string {
  if (keys === undefined || keys === null) return stringifyExtended(values);
  const out: Json = {};
  for (const key of keys) if (key in values) out[key] = values[key];
  return stringifyExtended(out);
}

/** A JSONString argument that must hold an object (NaN and ±Infinity allowed). */
export function parseJsonObject(text: string, what: string): Json {
  let value: unknown;
  try {
    value = parseExtended(text);
  } catch {
    throw new WandbInputError(`${what} is not valid JSON`);
  }
  if (!isObject(value)) throw new WandbInputError(`${what} must be a JSON object`);
  return value;
}
