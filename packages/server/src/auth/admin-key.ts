/**
 * The first start creates an admin key and writes it to `<data>/admin-key` (mode 0600), so the
 * local user can read it and nobody else on the machine can. Later starts only point at it; when
 * the key in the file is revoked, the file goes too, so that it never offers a dead key.
 */
import { existsSync } from "node:fs";
import { chmod, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Store } from "../store/store.js";
import { generateApiKey, hashApiKey } from "./api-key.js";

export const ADMIN_KEY_FILE = "admin-key";

export interface AdminKeyFile {
  /** The admin key file's path, or null when keys exist but the file was removed. */
  path: string | null;
  /** True only on the start that created the key and wrote the file. */
  written: boolean;
}

export async function ensureAdminKey(store: Store, dataDir: string, now: number): Promise<AdminKeyFile> {
  const path = join(dataDir, ADMIN_KEY_FILE);
  if ((await store.countApiKeys()) > 0) return { path: existsSync(path) ? path : null, written: false };
  const key = generateApiKey();
  // Written before the key is stored, under a name of this process's own: a crash in between
  // leaves a useless file, never a key nobody can read. Several servers starting at once on an
  // empty database each try; the store keeps one first key, and only its file is renamed into place.
  const staged = `${path}.${process.pid}.${key.id}`;
  await writeFile(staged, `${key.secret}\n`, { mode: 0o600 });
  await chmod(staged, 0o600); // `mode` applies only when the file is new
  let first: boolean;
  try {
    first = await store.createFirstApiKey(
      { id: key.id, name: "admin", entity: "local", admin: true, createdAt: now, lastUsedAt: null },
      key.secretHash,
    );
  } catch (error) {
    await rm(staged, { force: true });
    throw error;
  }
  if (!first) {
    await rm(staged, { force: true });
    return { path: existsSync(path) ? path : null, written: false };
  }
  await rename(staged, path);
  return { path, written: true };
}

/** Whether `<data>/admin-key` holds the key with this id (false when there is no such file). */
export async function adminKeyFileHolds(store: Store, dataDir: string, keyId: string): Promise<boolean> {
  let secret: string;
  try {
    secret = (await readFile(join(dataDir, ADMIN_KEY_FILE), "utf8")).trim();
  } catch {
    return false;
  }
  if (secret === "") return false;
  return (await store.findApiKeyByHash(hashApiKey(secret)))?.id === keyId;
}

/** Removes `<data>/admin-key`; resolves to its path. */
export async function removeAdminKeyFile(dataDir: string): Promise<string> {
  const path = join(dataDir, ADMIN_KEY_FILE);
  await rm(path, { force: true });
  return path;
}
