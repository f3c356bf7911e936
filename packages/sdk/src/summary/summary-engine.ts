/**
 * The run summary (W&B §3): per-leaf accumulators fed by every committed history row, metric
 * definitions (`defineMetric`, suffix globs, step metrics), explicit summary writes, and the
 * end-of-run sparklines. `observeRow` is on the hot path of `run.log()`: flat numeric keys of a
 * row shaped like the previous one cost a pointer comparison and a few field updates each.
 */
import { InvalidDataError } from "@stepwise/protocol";
import type { KeyPath, MetricRecord } from "@stepwise/protocol";
import {
  cloneMetricRecord,
  expandGlobMetric,
  joinEscapedPath,
  mergeMetric,
  parseDefineMetric,
  pathKey,
  splitEscapedDottedName,
} from "./metric-definition.js";
import type { DefineMetricOptions } from "./metric-definition.js";
import { SummaryLeaf } from "./summary-leaf.js";
import { LeafTree, SummaryTree, checkPath, isSubtreeValue } from "./summary-tree.js";
import type { SummaryNode } from "./summary-tree.js";
import { StepSync } from "./step-sync.js";

export type { DefineMetricOptions } from "./metric-definition.js";

export interface SummaryEngineEvents {
  /** A definition to persist in the run log: explicit (defineMetric) or expanded from a glob (expandedFrom set). */
  onMetric(record: MetricRecord): void;
  /** A human-readable warning; the caller prints it. */
  onWarning(message: string): void;
}

interface GlobEntry {
  readonly prefix: string;
  readonly record: MetricRecord;
}

export class SummaryEngine {
  private readonly events: SummaryEngineEvents;
  private readonly tree: LeafTree;
  /** Explicit and glob-expanded definitions by path key. */
  private readonly concrete = new Map<string, MetricRecord>();
  private readonly globsByName = new Map<string, MetricRecord>();
  /** Globs, longest prefix first, so the first match is the most specific one (W&B: arbitrary). */
  private globs: GlobEntry[] = [];
  /** Bumped whenever a glob changes; leaves without a definition re-match when they see a new version. */
  private globVersion = 0;
  /** Lower-cased dotted leaf path -> the distinct spellings seen, for the case-clash warning. */
  private readonly spellings = new Map<string, string[]>();
  private readonly stepSync = new StepSync();
  private readonly observeInserted = (path: KeyPath, value: number): void => {
    const parent = this.tree.parentOf(path);
    const key = path[path.length - 1]!;
    this.observeEntry(parent, key, value, parent.children.get(key));
  };
  // The previous row's keys in order and their top-level nodes. Rows usually repeat them, so a
  // pointer comparison of the interned key replaces the Map lookup. Valid while the top level
  // of the tree is unchanged (shapeVersion === tree.rootVersion).
  private readonly shapeKeys: string[] = [];
  private readonly shapeNodes: (SummaryNode | undefined)[] = [];
  private shapeVersion = 0;

  constructor(events: SummaryEngineEvents) {
    this.events = events;
    this.tree = new LeafTree((path, topLevel) => this.newLeaf(path, topLevel));
  }

  /** Validate (throw UsageError naming the argument and the fix), merge per W&B rules, emit onMetric with the effective definition, return it. */
  defineMetric(name: string, options?: DefineMetricOptions): MetricRecord {
    const update = parseDefineMetric(name, options);
    const previous =
      update.path === null ? this.globsByName.get(update.name) : this.concrete.get(pathKey(update.path));
    const record = mergeMetric(previous, update);
    this.install(record);
    this.events.onMetric(cloneMetricRecord(record));
    return cloneMetricRecord(record);
  }

  /** Apply an already-validated record (log replay). Emits nothing. */
  applyMetricRecord(record: MetricRecord): void {
    this.install(cloneMetricRecord(record));
  }

  /** Called once per committed history row BEFORE it is serialised; may insert synced step metrics into `row`. */
  observeRow(row: Record<string, unknown>): void {
    const tree = this.tree;
    const root = tree.root;
    const shapeKeys = this.shapeKeys;
    const shapeNodes = this.shapeNodes;
    if (this.shapeVersion !== tree.rootVersion) this.resetShape();
    let index = 0;
    for (const key in row) {
      const value = row[key];
      let node: SummaryNode | undefined;
      if (shapeKeys[index] === key) {
        node = shapeNodes[index];
      } else {
        node = root.children.get(key);
        shapeKeys[index] = key;
        shapeNodes[index] = node;
      }
      if (typeof value === "number" && node instanceof SummaryLeaf) {
        node.observeNumber(value);
        if (node.def === null && node.globVersion !== this.globVersion) this.matchGlobs(node);
      } else if (value !== undefined) {
        this.observeEntry(root, key, value, node);
        // A replaced top-level node may be cached at another index too: start the cache afresh.
        if (this.shapeVersion !== tree.rootVersion) this.resetShape();
        shapeKeys[index] = key;
        shapeNodes[index] = root.children.get(key);
      }
      index++;
    }
    if (this.stepSync.active) this.stepSync.apply(row, this.observeInserted);
  }

  /** Explicit summary write: leaf latest = value and that leaf's configured aggregations reset (W&B §3.2). */
  set(path: KeyPath, value: unknown): void {
    checkPath(path, "set");
    const kind = typeof value;
    if (value === undefined || kind === "function" || kind === "symbol") {
      throw new InvalidDataError(
        `summary key "${joinEscapedPath(path)}": a ${kind} cannot be stored; use null or remove the key`,
      );
    }
    // A plain object is stored as one leaf (W&B quirk); a later nested write splits it.
    const leaf = this.tree.leaf(this.tree.parentOf(path), path[path.length - 1]!);
    // W&B's client turns an explicit NaN into null (json_friendly), unlike history values.
    leaf.setExplicit(typeof value === "number" && Number.isNaN(value) ? null : value);
  }

  /** Removing a leaf clears it; removing a parent removes the whole subtree. */
  remove(path: KeyPath): void {
    checkPath(path, "remove");
    this.tree.remove(path);
  }

  /** Output value at a path (aggregated object, latest value, subtree as plain object) or undefined. */
  get(path: KeyPath): unknown {
    return this.tree.get(path);
  }

  /** The whole summary as a plain nested object (W&B §3.1 output rules). */
  toJSON(): Record<string, unknown> {
    return this.tree.toJSON();
  }

  /** Per top-level, non-`_`, numeric leaf key (first-seen order): up to 96 evenly strided history samples. */
  sparklines(): Map<string, number[]> {
    return this.tree.sparklines();
  }

  /** Current effective definitions (globs first, then explicit and expanded ones), for replay/upload. */
  definitions(): MetricRecord[] {
    return [...this.globsByName.values(), ...this.concrete.values()].map(cloneMetricRecord);
  }

  private install(record: MetricRecord): void {
    if (record.glob) {
      this.globsByName.set(record.name, record);
      this.globs = [...this.globsByName.values()]
        .map((glob) => ({ prefix: glob.name.slice(0, -1), record: glob }))
        .sort((a, b) => b.prefix.length - a.prefix.length);
      this.globVersion++;
      this.stepSync.define(record, null);
      return;
    }
    const path = record.path ?? splitEscapedDottedName(record.name);
    this.concrete.set(pathKey(path), record);
    this.stepSync.define(record, path);
    // Takes effect at once: leaves track every statistic, so a late `min` covers all data so far.
    this.tree.findLeaf(path)?.configure(record);
  }

  private resetShape(): void {
    // Filled rather than truncated so that writes at later indexes never leave holes. An
    // empty-string key that hits a "" entry finds no node and takes the (always correct) slow path.
    this.shapeKeys.fill("");
    this.shapeNodes.fill(undefined);
    this.shapeVersion = this.tree.rootVersion;
  }

  /** A new leaf, configured by its definition if one exists; top-level non-`_` leaves get a sparkline. */
  private newLeaf(path: KeyPath, topLevel: boolean): SummaryLeaf {
    const leaf = new SummaryLeaf(path, topLevel && !path[0]!.startsWith("_"));
    const def = this.concrete.get(pathKey(path));
    if (def !== undefined) leaf.configure(def);
    this.checkCase(path);
    return leaf;
  }

  /** The general case of one row entry: non-numbers, nested objects, new keys. */
  private observeEntry(tree: SummaryTree, key: string, value: unknown, node: SummaryNode | undefined): void {
    if (isSubtreeValue(value)) {
      let subtree: SummaryTree | undefined = node instanceof SummaryTree ? node : undefined;
      for (const childKey in value) {
        const childValue = value[childKey];
        if (childValue === undefined) continue;
        // Made on the first defined child, so an empty object leaves an existing leaf alone.
        subtree ??= this.tree.subtree(tree, key);
        this.observeEntry(subtree, childKey, childValue, subtree.children.get(childKey));
      }
      return;
    }
    const leaf = node instanceof SummaryLeaf ? node : this.tree.leaf(tree, key);
    if (typeof value === "number") leaf.observeNumber(value);
    else leaf.observeOther(value);
    if (leaf.def === null && leaf.globVersion !== this.globVersion) this.matchGlobs(leaf);
  }

  /**
   * Expands the most specific matching glob (longest prefix) into a concrete definition for a
   * leaf that has none. `_` keys are never matched; later glob changes don't touch expanded keys.
   */
  private matchGlobs(leaf: SummaryLeaf): void {
    leaf.globVersion = this.globVersion;
    if (this.globs.length === 0 || leaf.path[0]!.startsWith("_")) return;
    const dotted = joinEscapedPath(leaf.path);
    const glob = this.globs.find((entry) => dotted.startsWith(entry.prefix));
    if (glob === undefined) return;
    const record = expandGlobMetric(glob.record, leaf.path);
    this.concrete.set(pathKey(leaf.path), record);
    this.stepSync.define(record, leaf.path);
    leaf.configure(record);
    this.events.onMetric(cloneMetricRecord(record));
  }

  /** Warns once per pair of leaf keys that differ only by case (the UI folds case). */
  private checkCase(path: KeyPath): void {
    const dotted = joinEscapedPath(path);
    const folded = dotted.toLowerCase();
    const seen = this.spellings.get(folded);
    if (seen === undefined) {
      this.spellings.set(folded, [dotted]);
      return;
    }
    if (seen.includes(dotted)) return;
    for (const other of seen) {
      this.events.onWarning(
        `Summary keys "${other}" and "${dotted}" differ only by case. They are kept as separate ` +
          `metrics, but the UI matches metric names case-insensitively; rename one of them.`,
      );
    }
    seen.push(dotted);
  }
}
