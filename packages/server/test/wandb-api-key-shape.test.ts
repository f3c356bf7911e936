/**
 * Keys the server issues pass the shape check of every W&B client (docs/wandb.md), which runs
 * before any request: Python from 0.23 wants at least 40 characters after the first `-`, Python
 * up to 0.22's `wandb login` exactly 40, the JS SDK exactly 40 in the last `-` segment, current
 * Python `[A-Za-z0-9_-]` only. Keys of the old shape (`sw_` + 40 URL-safe characters) still
 * authenticate: a key is found by its hash, whatever its shape.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "vitest";
import { generateApiKey, hashApiKey } from "../src/auth/api-key.js";
import { authenticate } from "../src/auth/authenticate.js";
import { openSqliteStore } from "../src/store/sqlite/open-sqlite-store.js";

const afterFirstDash = (key: string): string => (key.includes("-") ? key.slice(key.indexOf("-") + 1) : key);

test("every issued key passes each W&B client's check", () => {
  for (let i = 0; i < 500; i++) {
    const { secret } = generateApiKey();
    expect(afterFirstDash(secret).length).toBe(40);
    expect(secret.split("-").pop()?.length).toBe(40);
    expect(secret).toMatch(/^[A-Za-z0-9_]*-[A-Za-z0-9_-]{40,}$/);
    expect(secret).toMatch(/^sw-[A-Za-z0-9]{40}$/);
  }
});

test("a key of the old shape still authenticates", async () => {
  const dir = await mkdtemp(join(tmpdir(), "stepwise-keys-"));
  const store = await openSqliteStore(join(dir, "stepwise.db"));
  try {
    const old = "sw_0123456789abcdefghij-_ABCDEFGHIJ0123456789";
    await store.createApiKey(
      { id: "oldkey", name: "old", entity: "team", admin: false, createdAt: 0, lastUsedAt: null },
      hashApiKey(old),
    );
    const basic = `Basic ${Buffer.from(`api:${old}`).toString("base64")}`;
    const principal = await authenticate(store, {
      authorization: basic,
      remoteAddress: undefined,
      trustLoopback: false,
      now: 1,
    });
    expect([principal.keyId, principal.entity]).toEqual(["oldkey", "team"]);
  } finally {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
});
