/**
 * A registry link as both stores read it: the link joined with its registry collection and the
 * artifact version it points at (`LINK_FROM`; the version's columns are each store's own), and
 * the DTO a link becomes with its aliases and its artifact version.
 */
import type { ArtifactVersionDto, RegistryVersionDto } from "@stepwise/protocol";
import { versionName } from "../domain/artifact-aliases.js";
import type { VersionRow } from "./artifact-rows.js";

export interface LinkRow extends VersionRow {
  link_pk: number;
  link_idx: number;
  link_collection_pk: number;
  linked_at: number;
  linked_by: string;
  r_entity: string;
  registry: string;
  r_name: string;
}

export const LINK_FROM = `registry_links l JOIN registry_collections rc ON rc.pk = l.collection_pk
  JOIN artifact_versions v ON v.pk = l.version_pk JOIN artifact_collections c ON c.pk = v.collection_pk`;

/** The link's columns, then `versionColumns` (the store's artifact version columns). */
export function linkColumns(versionColumns: string): string {
  return `l.pk AS link_pk, l.idx AS link_idx, l.collection_pk AS link_collection_pk,
  l.linked_at, l.linked_by, rc.entity AS r_entity, rc.registry, rc.name AS r_name, ${versionColumns}`;
}

/** A link as listed: its aliases (`latest` first when it is its collection's newest). */
export function linkDto(
  row: LinkRow,
  aliases: string[],
  artifact: ArtifactVersionDto | undefined,
): RegistryVersionDto {
  if (artifact === undefined) throw new Error("registry link without its artifact version");
  return {
    entity: row.r_entity,
    registry: row.registry,
    collection: row.r_name,
    version: versionName(row.link_idx),
    aliases,
    linkedAt: row.linked_at,
    linkedBy: row.linked_by,
    artifact,
  };
}
