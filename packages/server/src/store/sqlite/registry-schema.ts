/**
 * Schema of the registry (a migration in schema.ts): collections per (entity, registry) with the
 * artifact type of their links and the next version index (kept, so a number is never reused
 * after an unlink); links pointing at artifact versions by pk (nothing copied); aliases unique
 * within a collection (moved by updating their row, so a reader sees the old or the new link,
 * never none); and the audit log, append-only.
 */
export const REGISTRY_SCHEMA: readonly string[] = [
  `CREATE TABLE IF NOT EXISTS registry_collections (
    pk INTEGER PRIMARY KEY,
    entity TEXT NOT NULL,
    registry TEXT NOT NULL,
    name TEXT NOT NULL,
    type TEXT NOT NULL,
    next_idx INTEGER NOT NULL,
    created_at REAL NOT NULL,
    updated_at REAL NOT NULL,
    UNIQUE (entity, registry, name)
  )`,
  `CREATE TABLE IF NOT EXISTS registry_links (
    pk INTEGER PRIMARY KEY,
    collection_pk INTEGER NOT NULL,
    idx INTEGER NOT NULL,
    version_pk INTEGER NOT NULL,
    linked_at REAL NOT NULL,
    linked_by TEXT NOT NULL,
    UNIQUE (collection_pk, idx),
    UNIQUE (collection_pk, version_pk)
  )`,
  "CREATE INDEX IF NOT EXISTS registry_links_by_version ON registry_links (version_pk)",
  `CREATE TABLE IF NOT EXISTS registry_aliases (
    collection_pk INTEGER NOT NULL,
    alias TEXT NOT NULL,
    link_pk INTEGER NOT NULL,
    updated_at REAL NOT NULL,
    PRIMARY KEY (collection_pk, alias)
  ) WITHOUT ROWID`,
  "CREATE INDEX IF NOT EXISTS registry_aliases_by_link ON registry_aliases (link_pk)",
  `CREATE TABLE IF NOT EXISTS registry_audit (
    id INTEGER PRIMARY KEY,
    collection_pk INTEGER NOT NULL,
    action TEXT NOT NULL,
    alias TEXT,
    from_version TEXT,
    to_version TEXT,
    artifact TEXT,
    actor TEXT NOT NULL,
    at REAL NOT NULL
  )`,
  "CREATE INDEX IF NOT EXISTS registry_audit_by_collection ON registry_audit (collection_pk, id)",
];
