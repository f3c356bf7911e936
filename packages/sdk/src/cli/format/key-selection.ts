/**
 * `--keys a,b`: which history keys to keep. A key names a top-level key or a dotted path into
 * nested namespaces (`train.loss`); naming a namespace (`train`) keeps all of it. `_step` is
 * always kept; a row holding none of the keys is dropped.
 */
import { isNestedObject } from "./is-nested-object.js";

export class KeySelection {
  readonly keys: readonly string[];
  /** The keys some row or column held so far (for the warning about keys nothing held). */
  private readonly matched = new Set<string>();

  constructor(keys: readonly string[]) {
    this.keys = keys;
  }

  /** Parses the comma list; blanks and repeats are dropped. Returns null when nothing is left. */
  static parse(text: string): KeySelection | null {
    const keys = [...new Set(text.split(",").map((key) => key.trim()))].filter((key) => key !== "");
    return keys.length === 0 ? null : new KeySelection(keys);
  }

  /** Whether a flattened column name is kept: the key itself or a name under it. */
  keepsColumn(name: string): boolean {
    const key = this.keys.find((k) => name === k || name.startsWith(`${k}.`));
    if (key !== undefined) this.matched.add(key);
    return key !== undefined;
  }

  /** The selected keys that no row passed to `pick` or name passed to `keepsColumn` held. */
  unmatched(): string[] {
    return this.keys.filter((key) => !this.matched.has(key));
  }

  /**
   * The row cut down to the selected keys (nested values keep their nesting), with `always`
   * keys first; null when the row holds none of the selected keys.
   */
  pick(row: Record<string, unknown>, always: readonly string[]): Record<string, unknown> | null {
    const out: Record<string, unknown> = {};
    for (const key of always) if (Object.hasOwn(row, key)) out[key] = row[key];
    let found = false;
    for (const key of this.keys) {
      if (!copyPath(row, key.split("."), out)) continue;
      found = true;
      this.matched.add(key);
    }
    return found ? out : null;
  }
}

/**
 * Copies the value at a dotted path into `out`, rebuilding the namespaces on the way. Literal
 * keys that contain dots are matched too: at each level the longest run of segments that is
 * an actual key wins.
 */
function copyPath(
  from: Record<string, unknown>,
  segments: readonly string[],
  out: Record<string, unknown>,
): boolean {
  for (let take = segments.length; take > 0; take--) {
    const key = segments.slice(0, take).join(".");
    if (!Object.hasOwn(from, key)) continue;
    const value = from[key];
    if (take === segments.length) {
      out[key] = value;
      return true;
    }
    if (!isNestedObject(value)) continue;
    const existing = out[key];
    // The whole namespace was already selected (`--keys train,train.loss`): nothing to add.
    if (existing === value) return true;
    const branch: Record<string, unknown> = isNestedObject(existing) ? existing : {};
    if (!copyPath(value, segments.slice(take), branch)) continue;
    out[key] = branch;
    return true;
  }
  return false;
}
