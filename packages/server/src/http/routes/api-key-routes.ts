/**
 * API keys, admins only: `POST /keys` creates one for an entity (its secret is shown once, in
 * this answer), `GET /keys` lists them (never a secret: only hashes are stored), and
 * `DELETE /keys/:id` revokes one, which the very next request with that key feels.
 */
import {
  createApiKeyBodySchema,
  NotFoundError,
  UsageError,
  type ApiKeyDto,
  type ApiKeyListResponse,
  type CreateApiKeyResponse,
} from "@stepwise/protocol";
import { Hono } from "hono";
import { z } from "zod";
import { adminKeyFileHolds, removeAdminKeyFile } from "../../auth/admin-key.js";
import { generateApiKey } from "../../auth/api-key.js";
import { assertAdmin } from "../../auth/principal.js";
import type { StoredApiKey } from "../../store/store.js";
import type { AppDeps, AppEnv } from "../app-env.js";
import { parseInput } from "../input-error.js";
import { readJsonBody } from "../json-body.js";
import { extendedJson } from "../json-response.js";

/** Key ids are 16 hex digits; this only keeps odd bytes out of messages. */
const keyIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,64}$/, "must be a key id as 'stepwise keys ls' lists it");

export function apiKeyRoutes(deps: AppDeps, log: (line: string) => void): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.post("/keys", async (c) => {
    assertAdmin(c.get("principal"), "creating API keys");
    const body = await readJsonBody(c.req.raw, deps.config, createApiKeyBodySchema);
    const key = generateApiKey();
    await deps.store.createApiKey(
      {
        id: key.id,
        name: body.name,
        entity: body.entity,
        admin: body.admin,
        createdAt: deps.now(),
        lastUsedAt: null,
      },
      key.secretHash,
    );
    const created: CreateApiKeyResponse = {
      id: key.id,
      key: key.secret,
      name: body.name,
      entity: body.entity,
      admin: body.admin,
    };
    return extendedJson(created, 201);
  });

  app.get("/keys", async (c) => {
    assertAdmin(c.get("principal"), "listing API keys");
    const list: ApiKeyListResponse = { keys: (await deps.store.listApiKeys()).map(toDto) };
    return extendedJson(list);
  });

  app.delete("/keys/:id", async (c) => {
    assertAdmin(c.get("principal"), "revoking API keys");
    const id = parseInput(keyIdSchema, c.req.param("id"), "path.id");
    const inAdminKeyFile = await adminKeyFileHolds(deps.store, deps.config.dataDir, id);
    const result = await deps.store.revokeApiKey(id);
    if (result.kind === "unknown")
      throw new NotFoundError(`no API key has id '${id}'; 'stepwise keys ls' (GET /api/v1/keys) lists them`);
    const { key } = result;
    if (result.kind === "last-admin")
      throw new UsageError(
        `key '${id}' (${key.name}) is the last admin key; create another admin key first, then revoke this one`,
      );
    log(`API key ${id} (${key.name}, entity ${key.entity}) revoked`);
    if (inAdminKeyFile)
      log(`Removed ${await removeAdminKeyFile(deps.config.dataDir)}: the key it held was revoked`);
    return extendedJson(toDto(key));
  });

  return app;
}

function toDto(key: StoredApiKey): ApiKeyDto {
  return {
    id: key.id,
    name: key.name,
    entity: key.entity,
    admin: key.admin,
    createdAt: key.createdAt,
    lastUsedAt: key.lastUsedAt,
  };
}
