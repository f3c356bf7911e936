/**
 * How W&B's artifact API names things here: a committed version's id (`A` + its entity,
 * project, collection and version name, so any server answers it without state), a collection's
 * (`C` + …), W&B's `name:alias` names, and the project fields artifact fragments read.
 */
import type { VersionRef } from "../store/artifact-store.js";
import { numericProjectId } from "./run-identity.js";

const encode = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString("base64url");

export const versionId = (ref: VersionRef): string =>
  `A${encode([ref.entity, ref.project, ref.name, ref.alias])}`;
export const collectionId = (entity: string, project: string, name: string): string =>
  `C${encode([entity, project, name])}`;

/** The parts an `A…` or `C…` id names, or null for any other id. */
export function decodeId(id: string, kind: "A" | "C"): string[] | null {
  if (!id.startsWith(kind)) return null;
  try {
    const value: unknown = JSON.parse(Buffer.from(id.slice(1), "base64url").toString("utf8"));
    return Array.isArray(value) && value.every((v) => typeof v === "string") ? value : null;
  } catch {
    return null;
  }
}

/** The fields of W&B's `Project` that artifact fragments read (ProjectInfoFragment). */
export interface ProjectInfo {
  id: string;
  internalId: string;
  name: string;
  entityName: string;
  entity: { id: string; name: string };
}

export function projectInfo(entity: string, project: string): ProjectInfo {
  const id = numericProjectId(entity, project);
  return { id, internalId: id, name: project, entityName: entity, entity: { id: entity, name: entity } };
}

/** `name`, `name:alias` or `name:vN` (W&B's artifact names), the alias `latest` when left out. */
export function splitName(text: string): { name: string; alias: string } {
  const at = text.lastIndexOf(":");
  return at < 0 ? { name: text, alias: "latest" } : { name: text.slice(0, at), alias: text.slice(at + 1) };
}
