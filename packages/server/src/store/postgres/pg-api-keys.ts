/**
 * API keys on PostgreSQL (only the secret's hash is stored). Revocation keeps the last admin
 * key: the check and the removal are one transaction that locks every admin key row first, so
 * two revocations of the last two admin keys take turns and the second sees one left.
 */
import type pg from "pg";
import type { ExportedApiKey, RevokeApiKeyResult, StoredApiKey } from "../store.js";
import { transaction } from "./pg-database.js";

const KEY = `id, name, entity, admin, created_at AS "createdAt", last_used_at AS "lastUsedAt"`;

export class PgApiKeys {
  constructor(private readonly pool: pg.Pool) {}

  async create(key: StoredApiKey, secretHash: string): Promise<void> {
    await this.pool.query(
      `INSERT INTO api_keys (id, name, entity, admin, created_at, last_used_at, secret_hash)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [key.id, key.name, key.entity, key.admin, key.createdAt, key.lastUsedAt, secretHash],
    );
  }

  /**
   * Creates `key` only when the database holds no key, under a transaction-scoped advisory lock
   * (servers starting together on an empty database make one first key); whether it did.
   */
  createFirst(key: StoredApiKey, secretHash: string): Promise<boolean> {
    return transaction(this.pool, async (client) => {
      await client.query("SELECT pg_advisory_xact_lock(hashtextextended('first-api-key', 0))");
      if ((await client.query("SELECT 1 FROM api_keys LIMIT 1")).rows.length > 0) return false;
      await client.query(
        `INSERT INTO api_keys (id, name, entity, admin, created_at, last_used_at, secret_hash)
         VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [key.id, key.name, key.entity, key.admin, key.createdAt, key.lastUsedAt, secretHash],
      );
      return true;
    });
  }

  async find(secretHash: string): Promise<StoredApiKey | null> {
    const { rows } = await this.pool.query<StoredApiKey>(
      `SELECT ${KEY} FROM api_keys WHERE secret_hash = $1`,
      [secretHash],
    );
    return rows[0] ?? null;
  }

  async all(): Promise<StoredApiKey[]> {
    return (await this.pool.query<StoredApiKey>(`SELECT ${KEY} FROM api_keys ORDER BY created_at, id`)).rows;
  }

  async exported(): Promise<ExportedApiKey[]> {
    const { rows } = await this.pool.query<StoredApiKey & { secretHash: string }>(
      `SELECT ${KEY}, secret_hash AS "secretHash" FROM api_keys ORDER BY created_at, id`,
    );
    return rows.map(({ secretHash, ...key }) => ({ key, secretHash }));
  }

  async touch(id: string, now: number): Promise<void> {
    await this.pool.query("UPDATE api_keys SET last_used_at = $1 WHERE id = $2", [now, id]);
  }

  async total(): Promise<number> {
    const { rows } = await this.pool.query<{ n: number }>("SELECT COUNT(*)::bigint AS n FROM api_keys");
    return rows[0]?.n ?? 0;
  }

  revoke(id: string): Promise<RevokeApiKeyResult> {
    return transaction(this.pool, async (client) => {
      const admins = await client.query<{ id: string }>(
        "SELECT id FROM api_keys WHERE admin ORDER BY id FOR UPDATE",
      );
      const { rows } = await client.query<StoredApiKey>(
        `SELECT ${KEY} FROM api_keys WHERE id = $1 FOR UPDATE`,
        [id],
      );
      const key = rows[0];
      if (key === undefined) return { kind: "unknown" };
      if (key.admin && admins.rows.length <= 1) return { kind: "last-admin", key };
      await client.query("DELETE FROM api_keys WHERE id = $1", [id]);
      return { kind: "revoked", key };
    });
  }
}
