/**
 * The registry's part of the storage contract (`Store.registry`): per entity, registries of
 * collections whose versions are links to artifact versions (never copies), numbered by the
 * collection itself, with `latest` on the newest link and user aliases unique within the
 * collection, moved in one transaction; and an audit log of every link, unlink and alias change.
 * Wire shapes and rules: protocol registry.ts.
 */
import type {
  RegistryAuditDto,
  RegistryCollectionDto,
  RegistrySummaryDto,
  RegistryVersionDto,
} from "@stepwise/protocol";
import type { VersionRef } from "./artifact-store.js";

export interface RegistryCollectionRef {
  entity: string;
  registry: string;
  collection: string;
}

/** A link by the registry collection's own version name (`v2`) or alias (`latest`, `production`). */
export interface RegistryVersionRef extends RegistryCollectionRef {
  alias: string;
}

export interface LinkInput extends RegistryCollectionRef {
  /** The artifact version to link (resolved inside the write transaction). */
  source: VersionRef;
  /** User aliases to place on the link (never `latest`, never a version name). */
  aliases: readonly string[];
  /** Who, as the audit log records it. */
  actor: string;
  /** Unix seconds. */
  now: number;
}

export interface LinkResult {
  /** `existing`: that artifact version was linked there already (its aliases were placed). */
  status: "created" | "existing";
  version: RegistryVersionDto;
}

export interface RegistryStore {
  /**
   * Links an artifact version into a registry collection (created on first link, with the
   * version's type; a link of another type is refused with UsageError). Linking a version that
   * is linked there already answers that link. NotFoundError when the source does not resolve.
   */
  link(input: LinkInput): Promise<LinkResult>;
  /** Removes a link (answered as it was) and its aliases. NotFoundError when none. */
  unlink(ref: RegistryVersionRef, actor: string, now: number): Promise<RegistryVersionDto>;
  /** Sets a link's user aliases to exactly `aliases` in one transaction, each taken from whichever link held it. */
  setAliases(
    ref: RegistryVersionRef,
    aliases: readonly string[],
    actor: string,
    now: number,
  ): Promise<RegistryVersionDto>;
  /** The link a version name or alias names now, or null. */
  resolve(ref: RegistryVersionRef): Promise<RegistryVersionDto | null>;
  listRegistries(entity: string): Promise<RegistrySummaryDto[]>;
  listCollections(entity: string, registry: string): Promise<RegistryCollectionDto[]>;
  /** A collection's links, newest first. */
  listVersions(ref: RegistryCollectionRef): Promise<RegistryVersionDto[]>;
  /** Where an artifact version is linked, oldest link first. */
  linksOf(source: VersionRef): Promise<RegistryVersionDto[]>;
  /** The audit log of a registry (or of one of its collections), newest first, `limit` at most. */
  audit(
    entity: string,
    registry: string,
    collection: string | null,
    limit: number,
  ): Promise<RegistryAuditDto[]>;
}
