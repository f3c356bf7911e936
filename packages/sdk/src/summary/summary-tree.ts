/**
 * The shape of the summary: a tree of subtrees and leaves keyed like history rows, with W&B's
 * pathtree replacement rules (a leaf written where a subtree was removes the subtree, a nested
 * write below a leaf turns the leaf into a subtree) and the plain-object output of §3.1.
 */
import { UsageError } from "@stepwise/protocol";
import type { KeyPath } from "@stepwise/protocol";
import { SummaryLeaf } from "./summary-leaf.js";

/** An inner node of the summary tree; children keep first-seen order. */
export class SummaryTree {
  readonly path: KeyPath;
  readonly children = new Map<string, SummaryNode>();

  constructor(path: KeyPath) {
    this.path = path;
  }
}

export type SummaryNode = SummaryLeaf | SummaryTree;

/** A row value that is a nested subtree: a plain object that is not a media/data-type object (`_type`). */
export function isSubtreeValue(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return (proto === Object.prototype || proto === null) && !Object.hasOwn(value, "_type");
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Rejects a summary path that is not a non-empty array of strings (callers may be plain JS). */
export function checkPath(path: KeyPath, method: string): void {
  if (!Array.isArray(path) || path.length === 0 || !path.every((segment) => typeof segment === "string")) {
    throw new UsageError(`summary.${method}(): path must be a non-empty array of key strings, e.g. ["loss"]`);
  }
}

/** Sets an own property even when the key is `__proto__`, which plain assignment would not store. */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__") {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    target[key] = value;
  }
}

/** The output of a subtree as a plain object; undefined when no leaf below it has output. */
function treeOutput(tree: SummaryTree): Record<string, unknown> | undefined {
  let out: Record<string, unknown> | undefined;
  for (const [key, node] of tree.children) {
    const value = node instanceof SummaryLeaf ? node.output() : treeOutput(node);
    if (value === undefined) continue;
    out ??= {};
    setOwn(out, key, value);
  }
  return out;
}

/** Makes the leaf for a new path (the engine configures it from its definition). */
export type LeafFactory = (path: KeyPath, topLevel: boolean) => SummaryLeaf;

export class LeafTree {
  readonly root = new SummaryTree([]);
  /** Bumped whenever a top-level node is added, replaced or removed (it invalidates lookup caches). */
  rootVersion = 0;
  private readonly newLeaf: LeafFactory;

  constructor(newLeaf: LeafFactory) {
    this.newLeaf = newLeaf;
  }

  /** The subtree at `key`, replacing a leaf there (W&B pathtree `getOrMakeSubtree`). */
  subtree(tree: SummaryTree, key: string): SummaryTree {
    const node = tree.children.get(key);
    if (node instanceof SummaryTree) return node;
    const subtree = new SummaryTree([...tree.path, key]);
    this.setChild(tree, key, subtree);
    return subtree;
  }

  /** The leaf at `key`, made when missing and replacing a subtree there. */
  leaf(tree: SummaryTree, key: string): SummaryLeaf {
    const node = tree.children.get(key);
    if (node instanceof SummaryLeaf) return node;
    const leaf = this.newLeaf([...tree.path, key], tree === this.root);
    this.setChild(tree, key, leaf);
    return leaf;
  }

  /** The subtree that holds the last segment of `path`, made (replacing leaves) on the way. */
  parentOf(path: KeyPath): SummaryTree {
    let tree = this.root;
    for (let i = 0; i < path.length - 1; i++) tree = this.subtree(tree, path[i]!);
    return tree;
  }

  findLeaf(path: KeyPath): SummaryLeaf | undefined {
    let node: SummaryNode | undefined = this.root;
    for (const segment of path) {
      if (!(node instanceof SummaryTree)) return undefined;
      node = node.children.get(segment);
    }
    return node instanceof SummaryLeaf ? node : undefined;
  }

  /** A leaf is cleared (W&B `Clear`: statistics stay, output goes); a subtree is deleted. */
  remove(path: KeyPath): void {
    let tree = this.root;
    for (let i = 0; i < path.length - 1; i++) {
      const next = tree.children.get(path[i]!);
      if (!(next instanceof SummaryTree)) return;
      tree = next;
    }
    const key = path[path.length - 1]!;
    const node = tree.children.get(key);
    if (node instanceof SummaryLeaf) {
      node.clear();
    } else if (node !== undefined) {
      tree.children.delete(key);
      if (tree === this.root) this.rootVersion++;
    }
  }

  /** Output at a path; below a leaf it reads inside the leaf's output ({ min: 1 }, or a stored object). */
  get(path: KeyPath): unknown {
    let node: SummaryNode = this.root;
    for (let i = 0; i < path.length; i++) {
      if (node instanceof SummaryLeaf) {
        let value = node.output();
        for (let j = i; j < path.length && value !== undefined; j++) {
          const segment = path[j]!;
          value = isObject(value) && Object.hasOwn(value, segment) ? value[segment] : undefined;
        }
        return value;
      }
      const next: SummaryNode | undefined = node.children.get(path[i]!);
      if (next === undefined) return undefined;
      node = next;
    }
    return node instanceof SummaryLeaf ? node.output() : treeOutput(node);
  }

  toJSON(): Record<string, unknown> {
    return treeOutput(this.root) ?? {};
  }

  /** Sparkline samples of top-level leaves, in first-seen order. */
  sparklines(): Map<string, number[]> {
    const lines = new Map<string, number[]>();
    for (const [key, node] of this.root.children) {
      if (node instanceof SummaryLeaf && node.spark !== null && node.spark.values.length > 0) {
        lines.set(key, [...node.spark.values]);
      }
    }
    return lines;
  }

  private setChild(tree: SummaryTree, key: string, node: SummaryNode): void {
    tree.children.set(key, node);
    if (tree === this.root) this.rootVersion++;
  }
}
