/**
 * What the registry's audit log records for each change, whatever the store: a link; an alias
 * placed on a link (from the link that held it, or none) — nothing when it was there already;
 * an alias removed; and an unlink, which first removes each alias the link held.
 */
import type { RegistryAuditDto } from "@stepwise/protocol";
import { versionName } from "./artifact-aliases.js";

export type AuditEntry = Omit<RegistryAuditDto, "id" | "entity" | "registry" | "collection">;

interface Who {
  actor: string;
  at: number;
}

export function linkAudit(index: number, artifact: string, who: Who): AuditEntry {
  return { action: "link", alias: null, from: null, to: versionName(index), artifact, ...who };
}

/**
 * Placing `alias` on the link `link` while `holder` holds it: the audit entry of the move, or
 * null when the link holds it already (nothing changes, nothing is recorded).
 */
export function aliasMoveAudit(
  alias: string,
  holder: { linkPk: number; version: string } | null,
  link: { pk: number; idx: number },
  who: Who,
): AuditEntry | null {
  if (holder !== null && holder.linkPk === link.pk) return null;
  return {
    action: "alias",
    alias,
    from: holder?.version ?? null,
    to: versionName(link.idx),
    artifact: null,
    ...who,
  };
}

export function aliasRemovedAudit(alias: string, index: number, who: Who): AuditEntry {
  return { action: "alias", alias, from: versionName(index), to: null, artifact: null, ...who };
}

/** An unlink's entries, in order: each alias the link held removed, then the unlink. */
export function unlinkAudit(
  index: number,
  aliases: readonly string[],
  artifact: string,
  who: Who,
): AuditEntry[] {
  return [
    ...aliases.map((alias) => aliasRemovedAudit(alias, index, who)),
    { action: "unlink", alias: null, from: versionName(index), to: null, artifact, ...who },
  ];
}
