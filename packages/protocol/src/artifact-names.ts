/**
 * Artifacts' naming rules, the same on both sides (the SDK checks at the call, the server on
 * every request): what a collection name, a type, an alias and a tag may be, their limits, and
 * the `entity/project/name:alias` paths that name a version.
 */
import { z } from "zod";
import { LIMITS } from "./limits.js";

/** Characters of artifact names, types and aliases: letters, digits, `_`, `-`, `.`. */
const NAME_CHARACTERS = /^[A-Za-z0-9_.-]+$/;
/** A version's own name: `v0`, `v1`, … */
export const VERSION_NAME = /^v(0|[1-9][0-9]*)$/;
/** The alias the server moves to each new version; a client may name it, never place it. */
export const LATEST_ALIAS = "latest";

export const ARTIFACT_LIMITS = {
  /** Collection names: 1–128 characters of `NAME_CHARACTERS`. */
  artifactNameLength: 128,
  /** Types (`dataset`, `model`, …): 1–64 characters. */
  artifactTypeLength: 64,
  /** Each alias and tag of a version: 1–128 characters; at most 256 of each. */
  artifactAliasLength: 128,
  artifactAliases: 256,
  /** Description (Markdown). */
  artifactDescriptionLength: 100_000,
  /** Entries of one version's manifest. */
  artifactEntries: 10_000_000,
  /** A reference's URI. */
  artifactReferenceLength: 4096,
} as const;

function nameRule(what: string, max: number) {
  return z
    .string()
    .min(1, `${what} is empty`)
    .max(max, `${what} is longer than ${max} characters`)
    .regex(NAME_CHARACTERS, `${what} may hold only letters, digits, '_', '-' and '.' (no '/' or ':')`)
    .refine((s) => s !== "." && s !== "..", `${what} may not be '.' or '..'`);
}

export const artifactNameSchema = nameRule("an artifact name", ARTIFACT_LIMITS.artifactNameLength);
export const artifactTypeSchema = nameRule("an artifact type", ARTIFACT_LIMITS.artifactTypeLength);
export const artifactTagSchema = nameRule("an artifact tag", ARTIFACT_LIMITS.artifactAliasLength);
export const artifactAliasSchema = nameRule("an alias", ARTIFACT_LIMITS.artifactAliasLength).refine(
  (s) => !/^v[0-9]+$/.test(s),
  "an alias may not look like a version name (v0, v1, …): those name versions themselves",
);

/** Why `value` is not a valid `what`, or null when it is (the SDK throws this text at the call). */
export function artifactNameProblem(value: string, what: "name" | "type" | "alias" | "tag"): string | null {
  const schema = {
    name: artifactNameSchema,
    type: artifactTypeSchema,
    alias: artifactAliasSchema,
    tag: artifactTagSchema,
  }[what];
  const parsed = schema.safeParse(value);
  return parsed.success ? null : (parsed.error.issues[0]?.message ?? `invalid ${what}`);
}

/**
 * `entity/project/name:alias`, `project/name:v3`, `name:production`, `name` (= `name:latest`).
 * Entity and project are null when the path leaves them out (the caller fills in its run's).
 */
export interface ArtifactPath {
  entity: string | null;
  project: string | null;
  name: string;
  /** A version name (`v3`) or an alias (`latest` when the path names none). */
  alias: string;
}

export function parseArtifactPath(path: string): ArtifactPath | { problem: string } {
  const colon = path.lastIndexOf(":");
  const head = colon < 0 ? path : path.slice(0, colon);
  const alias = colon < 0 ? LATEST_ALIAS : path.slice(colon + 1);
  const parts = head.split("/");
  if (parts.length > 3) {
    return { problem: `'${path}' has more than entity/project/name before ':'` };
  }
  const name = parts[parts.length - 1] ?? "";
  const nameProblem = artifactNameProblem(name, "name");
  if (nameProblem !== null) return { problem: `'${path}': ${nameProblem}` };
  if (!VERSION_NAME.test(alias) && alias !== LATEST_ALIAS) {
    const aliasProblem = artifactNameProblem(alias, "alias");
    if (aliasProblem !== null) return { problem: `'${path}': ${aliasProblem}` };
  }
  const project = parts.length >= 2 ? (parts[parts.length - 2] ?? null) : null;
  const entity = parts.length === 3 ? (parts[0] ?? null) : null;
  for (const [what, segment] of [
    ["entity", entity],
    ["project", project],
  ] as const) {
    if (segment !== null && (segment.length === 0 || segment.length > LIMITS.entityNameLength)) {
      return { problem: `'${path}': the ${what} must be 1–${LIMITS.entityNameLength} characters` };
    }
  }
  return { entity, project, name, alias };
}
