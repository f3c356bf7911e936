/**
 * `run.config`: the run's hyperparameters. Nested values are kept nested; `update()` deep-merges
 * (Beyond W&B: client and stored config agree — W&B's client replaces nested dicts while its
 * backend merges them). Changing an existing value needs `{ allowValChange: true }`, otherwise
 * ConfigError; setting the same value again is accepted silently. Keys lose leading and
 * trailing dashes (`--lr` → `lr`), as W&B does for argparse-style names.
 */
import { ConfigError, InvalidDataError } from "@stepwise/protocol";
import { deepEqual, deepMerge, isPlainObject } from "../values/deep-merge.js";
import { keyedView } from "../values/keyed-view.js";
import { checkKey, normalizeValue, OMIT, type NormalizeOptions } from "../values/normalize-value.js";

export interface ConfigUpdateOptions {
  /** Allow changing values that are already set (default false). */
  allowValChange?: boolean;
}

const CONFIG_OPTIONS: NormalizeOptions = { context: "config", nanToNull: true };
const METHODS = new Set(["update", "get", "set", "toJSON", "keys"]);

export class RunConfig {
  private data: Record<string, unknown> = {};

  constructor(private readonly onChange: (delta: Record<string, unknown>) => void) {}

  /** Merges `values` in. All-or-nothing: a refused change leaves the config untouched. */
  update(values: Record<string, unknown>, options: ConfigUpdateOptions = {}): void {
    if (!isPlainObject(values))
      throw new InvalidDataError("config.update(): pass a plain object, e.g. { lr: 0.01 }");
    const delta: Record<string, unknown> = {};
    for (const rawKey of Object.keys(values)) {
      const key = checkKey(normalizeKey(rawKey), [], CONFIG_OPTIONS);
      const value = normalizeValue(values[rawKey], [key], CONFIG_OPTIONS);
      if (value !== OMIT) delta[key] = value;
    }
    const changes = changedPart(this.data, delta, [], options.allowValChange === true);
    if (changes === null) return;
    this.onChange(changes); // may refuse (finished run) before anything changes
    this.data = deepMerge(this.data, changes);
  }

  get(key: string): unknown {
    return this.data[normalizeKey(key)];
  }

  set(key: string, value: unknown): void {
    this.update({ [key]: value });
  }

  keys(): string[] {
    return Object.keys(this.data);
  }

  toJSON(): Record<string, unknown> {
    return structuredClone(this.data);
  }
}

/** The part of `delta` that changes `current`, or null; throws ConfigError on a disallowed change. */
function changedPart(
  current: Record<string, unknown>,
  delta: Record<string, unknown>,
  path: string[],
  allowValChange: boolean,
): Record<string, unknown> | null {
  const out: Record<string, unknown> = {};
  let any = false;
  for (const key of Object.keys(delta)) {
    const incoming = delta[key];
    const existing = current[key];
    if (isPlainObject(incoming) && isPlainObject(existing)) {
      const nested = changedPart(existing, incoming, [...path, key], allowValChange);
      if (nested !== null) {
        out[key] = nested;
        any = true;
      }
      continue;
    }
    if (existing !== undefined && deepEqual(existing, incoming)) continue;
    if (existing !== undefined && !allowValChange) {
      const name = [...path, key].join(".");
      throw new ConfigError(
        `Attempted to change config value "${name}" from ${JSON.stringify(existing)} to ${JSON.stringify(incoming)}. ` +
          "If you really want to do this, pass { allowValChange: true } to config.update().",
      );
    }
    out[key] = incoming;
    any = true;
  }
  return any ? out : null;
}

function normalizeKey(key: string): string {
  return key.replace(/^-+|-+$/g, "");
}

export type ConfigView = RunConfig & Record<string, unknown>;

/** Property access: reads and writes go through the RunConfig's own rules. */
export function configView(store: RunConfig): ConfigView {
  return keyedView(store, METHODS);
}
