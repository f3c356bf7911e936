/**
 * The one table of what a run may hold. The SDK checks it at the call (so a bad value throws
 * where the user wrote it, and nothing of that call reaches the run log) and the server checks
 * it on every write path (JSON and packed ingest, run edits), so a record the SDK accepted is
 * never refused for a limit the SDK did not know. Change a number here and both sides follow.
 */
import { z } from "zod";

/** Characters are UTF-16 code units (`string.length`), as JavaScript and zod count them. */
export const LIMITS = {
  /** Run display name: 1–256 characters. */
  runNameLength: 256,
  /** Run group and job type: 0–256 characters. */
  groupLength: 256,
  jobTypeLength: 256,
  /** Each tag: 1–64 characters (W&B reference §1.7); at most 256 tags. */
  tagLength: 64,
  tags: 256,
  /** Notes (Markdown): at most 1,000,000 characters. */
  notesLength: 1_000_000,
  /** Entity and project names: 1–128 characters (they become URL path segments). */
  entityNameLength: 128,
  /** Run ids: 1–128 characters. */
  runIdLength: 128,
  /** A key of a history row, config or summary, at any level: 1–1,024 characters. */
  keyLength: 1024,
  /**
   * Levels of objects and arrays nested in one logged value (a history value, a config value,
   * a summary value): `{ a: 1 }` is 1, `[[1]]` is 2. Deeper than any real config or media
   * object (3–4 levels); the recursive encoders that read stored values overflow near 10,000.
   */
  valueDepth: 100,
  /** Host name sent with the run. */
  hostLength: 256,
  /** Program path and each argument; longer ones are cut by the SDK, not refused. */
  programLength: 4096,
  argLength: 4096,
  args: 1000,
  /** One console line. */
  consoleLineLength: 1_048_576,
  /** One history row as extended-JSON text (the JSON ingest body's `history.lines`). */
  historyLineLength: 16 * 1024 * 1024,
  /** Items of one stream in one ingest batch. */
  batchItems: 100_000,
  /** A run file's path (`files.ts`): 1–1,024 characters. */
  filePathLength: 1024,
  /**
   * Largest run file by default (the server's `--max-file-bytes` may lower or raise it; it
   * says its own in `file-uploads` answers). 5 TiB, S3's largest object.
   */
  fileBytes: 5 * 1024 ** 4,
  /** Most bytes in one part of a resumable upload (S3 allows 5 GiB; we keep parts retryable). */
  uploadPartBytes: 64 * 1024 * 1024,
  /** Files one run may hold. */
  runFiles: 1_000_000,
} as const;

export const MAX_KEY_LENGTH = LIMITS.keyLength;
export const MAX_VALUE_DEPTH = LIMITS.valueDepth;
/**
 * Depth allowed for a whole request body: a value at the deepest place the wire puts one
 * (a summary op inside a meta record: body → meta → records → record → ops → op → value) plus
 * the value's own limit, with room to spare. Each value is then checked against its own limit.
 */
export const MAX_BODY_DEPTH = MAX_VALUE_DEPTH + 10;

/**
 * The names a user gives and the web UI shows; each is refused with control or bidi characters.
 * Entity, project and run id have their own patterns (`NAME_PATTERN`, `RUN_ID_PATTERN`).
 */
export type NameField = "name" | "group" | "jobType" | "tag";

const NAME_RULES: Record<NameField, { what: string; min: number; max: number }> = {
  name: { what: "run name", min: 1, max: LIMITS.runNameLength },
  group: { what: "group", min: 0, max: LIMITS.groupLength },
  jobType: { what: "job type", min: 0, max: LIMITS.jobTypeLength },
  tag: { what: "tag", min: 1, max: LIMITS.tagLength },
};

/**
 * Control characters (C0, DEL, C1) and the Unicode bidirectional formatting characters (ALM,
 * LRM, RLM, the embeddings and overrides U+202A–U+202E, the isolates U+2066–U+2069): in a name
 * they hide or reorder what a reader sees ("Trojan Source"), so a run could pass for another.
 */
export const UNSAFE_NAME_CHARACTERS = String.raw`\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069`;
/** One of `UNSAFE_NAME_CHARACTERS` (the set is a regex character-class body, for building patterns). */
export const UNSAFE_NAME_CHARACTER = new RegExp(`[${UNSAFE_NAME_CHARACTERS}]`);

/** `U+202E` for the first unsafe character of `text`, or null. */
export function unsafeCharacterIn(text: string): string | null {
  const match = UNSAFE_NAME_CHARACTER.exec(text);
  if (match === null) return null;
  return `U+${(match[0].codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, "0")}`;
}

/**
 * What is wrong with `value` as a name of kind `field`, as a phrase that names the limit and
 * the fix ("is 300 characters; at most 256 are allowed, shorten it"), or null when it is fine.
 */
export function nameProblem(field: NameField, value: unknown): string | null {
  const rule = NAME_RULES[field];
  if (typeof value !== "string") return `must be a string (the ${rule.what})`;
  if (value.length < rule.min) return `must not be empty (the ${rule.what})`;
  if (value.length > rule.max)
    return `is ${value.length} characters; a ${rule.what} has at most ${rule.max}: shorten it`;
  const unsafe = unsafeCharacterIn(value);
  if (unsafe !== null)
    return `holds ${unsafe}, a control or bidirectional-text character, which a ${rule.what} may not hold: remove it`;
  return null;
}

/** A key (or a text that names keys) holding U+0000: no key may (`keyProblem`). */
export const NUL_KEY_MESSAGE = "holds U+0000 (NUL), which a key may not hold: remove it";

/** What is wrong with a key (of a row, config or summary, at any level), or null. */
export function keyProblem(key: string): string | null {
  if (key.length === 0) return `is empty; a key has 1–${LIMITS.keyLength} characters`;
  if (key.length > LIMITS.keyLength)
    return `is ${key.length} characters long; a key has at most ${LIMITS.keyLength}: shorten it`;
  // PostgreSQL text and jsonb cannot hold U+0000, and a key becomes a column, a series name and a
  // file name: refused on every backend so a run logged to SQLite moves to PostgreSQL unchanged.
  if (key.includes("\u0000")) return NUL_KEY_MESSAGE;
  return null;
}

/** What is wrong with notes, or null. */
export function notesProblem(value: unknown): string | null {
  if (typeof value !== "string") return "must be a string (Markdown)";
  if (value.length > LIMITS.notesLength)
    return `are ${value.length} characters; notes hold at most ${LIMITS.notesLength}: shorten them or save the text as a file`;
  if (value.includes("\u0000")) return `hold U+0000 (NUL), which notes may not hold: remove it`;
  return null;
}

/**
 * A zod schema for run text the server keeps in a text column (host, program, arguments, SDK
 * version): at most `max` characters and no U+0000, which PostgreSQL text cannot hold.
 */
export function runTextSchema(max: number): z.ZodType<string> {
  return z
    .string()
    .max(max)
    .refine((value) => !value.includes("\u0000"), "holds U+0000 (NUL), which it may not hold: remove it");
}

/** Notes as the wire takes them: `notesProblem`'s message when they fail. */
export const notesSchema: z.ZodType<string> = z.string().superRefine((value, context) => {
  const problem = notesProblem(value);
  if (problem !== null) context.addIssue({ code: "custom", message: problem });
});

/**
 * Whether `value` nests more than `max` levels of objects and arrays (`{}` is 1 level; numbers
 * and strings are 0). Iterative, so it copes with any depth; scalars cost nothing, so a flat
 * row is cheap.
 */
export function deeperThan(value: unknown, max: number): boolean {
  if (typeof value !== "object" || value === null) return false;
  const stack: Array<[object, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop() as [object, number];
    if (depth > max) return true;
    for (const key in current) {
      const member = (current as Record<string, unknown>)[key];
      if (typeof member === "object" && member !== null) stack.push([member, depth + 1]);
    }
  }
  return false;
}

/**
 * The first problem with the keys and nesting of a record of values (a history row, a config,
 * a summary), as `{ key, message }` naming the top-level key it is under, or null. Keys are
 * checked at every level; each top-level value may nest `MAX_VALUE_DEPTH` levels.
 */
export function valuesProblem(values: Record<string, unknown>): { key: string; message: string } | null {
  for (const key in values) {
    const keyIssue = keyProblem(key);
    if (keyIssue !== null) return { key, message: `the key ${keyIssue}` };
    const value = values[key];
    if (typeof value !== "object" || value === null) continue;
    const nested = nestedProblem(value);
    if (nested !== null) return { key, message: nested };
  }
  return null;
}

/** One walk over a value's objects and arrays: a level past `MAX_VALUE_DEPTH`, or a bad key. */
function nestedProblem(value: object): string | null {
  const stack: Array<[object, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop() as [object, number];
    if (depth > MAX_VALUE_DEPTH)
      return `nests deeper than ${MAX_VALUE_DEPTH} levels of objects and arrays; flatten it (log its leaves under separate keys)`;
    const isArray = Array.isArray(current);
    for (const key in current) {
      if (!isArray) {
        const issue = keyProblem(key);
        if (issue !== null) return `holds a key that ${issue}`;
      }
      const member = (current as Record<string, unknown>)[key];
      if (typeof member === "object" && member !== null) stack.push([member, depth + 1]);
    }
  }
  return null;
}

/** A zod string schema for a name of kind `field`, with `nameProblem`'s message when it fails. */
export function nameSchema(field: NameField): z.ZodType<string> {
  return z.string().superRefine((value, context) => {
    const problem = nameProblem(field, value);
    if (problem !== null) context.addIssue({ code: "custom", message: problem });
  });
}
