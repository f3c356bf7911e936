/**
 * API key records. Only a hash of each secret is stored; lookups are by that hash (unique).
 * Revoking deletes the row: the next request with that key finds nothing and is refused. The
 * last admin key is never revoked: the check and the delete are one write transaction.
 */
import type Database from "better-sqlite3";
import type { ExportedApiKey, RevokeApiKeyResult, StoredApiKey } from "../store.js";

interface KeyRow {
  id: string;
  name: string;
  entity: string;
  admin: number;
  created_at: number;
  last_used_at: number | null;
}

export class ApiKeyRecords {
  private readonly insert: Database.Statement<
    [string, string, string, number, number, number | null, string]
  >;
  private readonly byHash: Database.Statement<[string], KeyRow>;
  private readonly touch: Database.Statement<[number, string]>;
  private readonly count: Database.Statement<[], { n: number }>;
  private readonly everyKey: Database.Statement<[], KeyRow>;
  private readonly everyHash: Database.Statement<[], KeyRow & { secret_hash: string }>;
  private readonly byId: Database.Statement<[string], KeyRow>;
  private readonly remove: Database.Statement<[string]>;
  private readonly adminCount: Database.Statement<[], { n: number }>;
  private readonly revokeKey: Database.Transaction<(id: string) => RevokeApiKeyResult>;
  private readonly createIfNone: Database.Transaction<(key: StoredApiKey, secretHash: string) => boolean>;

  constructor(db: Database.Database) {
    this.insert = db.prepare(
      `INSERT INTO api_keys (id, name, entity, admin, created_at, last_used_at, secret_hash)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    );
    this.byHash = db.prepare(
      "SELECT id, name, entity, admin, created_at, last_used_at FROM api_keys WHERE secret_hash = ?",
    );
    this.touch = db.prepare("UPDATE api_keys SET last_used_at = ? WHERE id = ?");
    this.count = db.prepare("SELECT COUNT(*) AS n FROM api_keys");
    this.everyKey = db.prepare(
      "SELECT id, name, entity, admin, created_at, last_used_at FROM api_keys ORDER BY created_at, id",
    );
    this.everyHash = db.prepare(
      "SELECT id, name, entity, admin, created_at, last_used_at, secret_hash FROM api_keys ORDER BY created_at, id",
    );
    this.byId = db.prepare(
      "SELECT id, name, entity, admin, created_at, last_used_at FROM api_keys WHERE id = ?",
    );
    this.remove = db.prepare("DELETE FROM api_keys WHERE id = ?");
    this.adminCount = db.prepare("SELECT COUNT(*) AS n FROM api_keys WHERE admin != 0");
    this.createIfNone = db.transaction((key: StoredApiKey, secretHash: string): boolean => {
      if ((this.count.get() as { n: number }).n > 0) return false;
      this.create(key, secretHash);
      return true;
    });
    this.revokeKey = db.transaction((id: string): RevokeApiKeyResult => {
      const row = this.byId.get(id);
      if (!row) return { kind: "unknown" };
      const key = keyOf(row);
      if (key.admin && (this.adminCount.get() as { n: number }).n <= 1) return { kind: "last-admin", key };
      this.remove.run(id);
      return { kind: "revoked", key };
    });
  }

  /** Creates `key` only when the store holds no key; whether it did (IMMEDIATE: one writer at a time). */
  createFirst(key: StoredApiKey, secretHash: string): boolean {
    return this.createIfNone.immediate(key, secretHash);
  }

  create(key: StoredApiKey, secretHash: string): void {
    this.insert.run(
      key.id,
      key.name,
      key.entity,
      key.admin ? 1 : 0,
      key.createdAt,
      key.lastUsedAt,
      secretHash,
    );
  }

  find(secretHash: string): StoredApiKey | null {
    const row = this.byHash.get(secretHash);
    return row ? keyOf(row) : null;
  }

  all(): StoredApiKey[] {
    return this.everyKey.all().map(keyOf);
  }

  exported(): ExportedApiKey[] {
    return this.everyHash.all().map((row) => ({ key: keyOf(row), secretHash: row.secret_hash }));
  }

  /** Deletes the key unless it is the last admin key (BEGIN IMMEDIATE: no writer between). */
  revoke(id: string): RevokeApiKeyResult {
    return this.revokeKey.immediate(id);
  }

  touchKey(id: string, now: number): void {
    this.touch.run(now, id);
  }

  total(): number {
    return (this.count.get() as { n: number }).n;
  }
}

function keyOf(row: KeyRow): StoredApiKey {
  return {
    id: row.id,
    name: row.name,
    entity: row.entity,
    admin: row.admin !== 0,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
  };
}
