/**
 * A run listing's `select`: only some dotted paths of a stored config or summary, read from its
 * extended-JSON text without building the whole object. One pass over the text: a member named by
 * a path is parsed (only it), a member on the way to one is entered, every other member is
 * skipped by scanning for its end. SQLite's `->` would read the paths in C, but it turns NaN into
 * null; this keeps NaN and ±Infinity exact and costs ~10 ms for 100,000 keys (5 MB of text).
 */
import { parseExtended, splitDottedPath } from "@stepwise/protocol";

/** Requested paths as a tree: a leaf (`null`) takes the member whole. */
export type PathTree = Map<string, PathTree | null>;

/** The tree of dotted `paths` (`opt.lr`, `a\.b` for the key "a.b"); a path inside a taken one adds nothing. */
export function pathTree(paths: readonly string[]): PathTree {
  const root: PathTree = new Map();
  for (const path of paths) {
    const segments = splitDottedPath(path);
    let node = root;
    for (let i = 0; i < segments.length; i++) {
      const segment = segments[i] as string;
      const known = node.get(segment);
      if (known === null) break; // an enclosing path takes the whole member already
      if (i === segments.length - 1) {
        node.set(segment, null);
        break;
      }
      const child: PathTree = known ?? new Map<string, PathTree | null>();
      node.set(segment, child);
      node = child;
    }
  }
  return root;
}

/**
 * The members of the extended-JSON object `text` that `tree` names, nested as stored; a path the
 * text lacks (or that goes through a non-object) is absent. Throws SyntaxError on broken text.
 */
export function selectPaths(text: string, tree: PathTree): Record<string, unknown> {
  if (tree.size === 0) return {};
  const scan = new Scanner(text);
  scan.space();
  if (text.charCodeAt(scan.pos) !== OPEN_BRACE) return {};
  return scan.object(tree);
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;

class Scanner {
  pos = 0;
  constructor(private readonly text: string) {}

  /** At `{`: the members `tree` names; leaves the position after the closing `}`. */
  object(tree: PathTree): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    this.pos++;
    this.space();
    if (this.text.charCodeAt(this.pos) === CLOSE_BRACE) {
      this.pos++;
      return out;
    }
    for (;;) {
      this.space();
      const key = this.key();
      this.space();
      if (this.text.charCodeAt(this.pos) !== COLON) this.fail('expected ":"');
      this.pos++;
      this.space();
      const wanted = tree.get(key);
      if (wanted === undefined) {
        this.skipValue();
      } else if (wanted === null) {
        const start = this.pos;
        this.skipValue();
        set(out, key, parseExtended(this.text.slice(start, this.pos)));
      } else if (this.text.charCodeAt(this.pos) === OPEN_BRACE) {
        const inner = this.object(wanted);
        if (Object.keys(inner).length > 0) set(out, key, inner);
      } else {
        this.skipValue();
      }
      this.space();
      const next = this.text.charCodeAt(this.pos++);
      if (next === CLOSE_BRACE) return out;
      if (next !== COMMA) this.fail('expected "," or "}"');
    }
  }

  /** A member name, decoded only when it holds an escape. */
  private key(): string {
    if (this.text.charCodeAt(this.pos) !== QUOTE) this.fail("expected a string key");
    const start = this.pos;
    this.skipString();
    const raw = this.text.slice(start + 1, this.pos - 1);
    return raw.includes("\\") ? (JSON.parse(this.text.slice(start, this.pos)) as string) : raw;
  }

  /** From `"` to just past the closing quote. */
  private skipString(): void {
    let at = this.pos + 1;
    for (;;) {
      const end = this.text.indexOf('"', at);
      if (end === -1) this.fail("unterminated string");
      let slashes = 0;
      while (this.text.charCodeAt(end - 1 - slashes) === BACKSLASH) slashes++;
      if (slashes % 2 === 0) {
        this.pos = end + 1;
        return;
      }
      at = end + 1;
    }
  }

  private skipValue(): void {
    const first = this.text.charCodeAt(this.pos);
    if (first === QUOTE) return this.skipString();
    if (first !== OPEN_BRACE && first !== OPEN_BRACKET) {
      // A number, literal or NaN/±Infinity: up to the next delimiter.
      while (this.pos < this.text.length) {
        const c = this.text.charCodeAt(this.pos);
        if (c === COMMA || c === CLOSE_BRACE || c === CLOSE_BRACKET || c <= 0x20) return;
        this.pos++;
      }
      return;
    }
    let depth = 0;
    while (this.pos < this.text.length) {
      const c = this.text.charCodeAt(this.pos);
      if (c === QUOTE) {
        this.skipString();
        continue;
      }
      this.pos++;
      if (c === OPEN_BRACE || c === OPEN_BRACKET) depth++;
      else if ((c === CLOSE_BRACE || c === CLOSE_BRACKET) && --depth === 0) return;
    }
    this.fail("unterminated object or array");
  }

  space(): void {
    while (this.pos < this.text.length && this.text.charCodeAt(this.pos) <= 0x20) this.pos++;
  }

  private fail(reason: string): never {
    throw new SyntaxError(`Invalid extended JSON at position ${this.pos}: ${reason}`);
  }
}

/** A plain member, also for "__proto__" (as JSON.parse keeps it). */
function set(out: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
}
