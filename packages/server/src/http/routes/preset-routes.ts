/**
 * Chart presets (built-in ones from domain/presets/builtin-presets.ts, user ones in the store):
 * - `GET    /presets`: every preset (built-ins first);
 * - `GET    /presets/<id>`: one (`stepwise/line/v0`; W&B's ids and the SDK's spellings too);
 * - `PUT    /presets/<id>` (`PresetPutBody`): creates or replaces a user preset (owner = an entity
 *   the key may access; `stepwise` and `wandb` are reserved);
 * - `DELETE /presets/<id>`: removes a user preset;
 * - `POST   /presets/render` (`PresetRenderBody`): the spec with its slots filled.
 */
import {
  API_PREFIX,
  AuthError,
  InvalidDataError,
  NotFoundError,
  presetIdSchema,
  presetPutBodySchema,
  presetRenderBodySchema,
  type ChartPreset,
  type PresetListResponse,
  type PresetRenderResponse,
} from "@stepwise/protocol";
import { Hono, type Context } from "hono";
import { assertEntityAccess } from "../../auth/principal.js";
import { BUILTIN_PRESETS, builtinPreset, isBuiltinOwner } from "../../domain/presets/builtin-presets.js";
import { checkPresetBody } from "../../domain/presets/preset-check.js";
import { renderPreset } from "../../domain/presets/render-preset.js";
import type { StoredPreset, StructuredStore } from "../../store/structured-store.js";
import type { AppDeps, AppEnv } from "../app-env.js";
import { parseInput } from "../input-error.js";
import { readJsonBody } from "../json-body.js";
import { plainJson } from "../json-response.js";

/** The preset an id names, built-in or saved; NotFoundError naming it otherwise. */
export async function findPreset(store: StructuredStore, id: string): Promise<ChartPreset> {
  const builtin = builtinPreset(id);
  if (builtin !== null) return builtin;
  const stored = isBuiltinOwner(id) ? null : await store.getPreset(id);
  if (stored === null)
    throw new NotFoundError(
      `preset ${JSON.stringify(id)} does not exist; 'stepwise presets ls' (GET /api/v1/presets) lists them (built-ins: stepwise/line/v0, …)`,
    );
  return toDto(stored);
}

export function presetRoutes(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const store = deps.store.structured;

  app.get("/presets", async () => {
    const saved = await store.listPresets();
    const response: PresetListResponse = { presets: [...BUILTIN_PRESETS, ...saved.map(toDto)] };
    return plainJson(response);
  });

  app.post("/presets/render", async (c) => {
    const body = await readJsonBody(c.req.raw, deps.config, presetRenderBodySchema);
    const preset = await findPreset(store, body.id);
    const response: PresetRenderResponse = { id: body.id, spec: renderPreset(preset, body) };
    return plainJson(response);
  });

  app.get("/presets/*", async (c) => plainJson(await findPreset(store, presetId(c))));

  app.put("/presets/*", async (c) => {
    const id = presetId(c);
    assertEntityAccess(c.get("principal"), id.split("/")[0] as string);
    const body = await readJsonBody(c.req.raw, deps.config, presetPutBodySchema);
    checkPresetBody(id, body);
    return plainJson(toDto(await store.putPreset(id, body, deps.now())));
  });

  app.delete("/presets/*", async (c) => {
    const id = presetId(c);
    if (isBuiltinOwner(id))
      throw new AuthError("FORBIDDEN", `preset ${id} is built in and cannot be removed`);
    assertEntityAccess(c.get("principal"), id.split("/")[0] as string);
    if (!(await store.deletePreset(id)))
      throw new NotFoundError(`preset ${JSON.stringify(id)} does not exist`);
    return new Response(null, { status: 204 });
  });

  return app;
}

function presetId(c: Context<AppEnv>): string {
  const rest = c.req.path.slice(`${API_PREFIX}/presets/`.length);
  let id: string;
  try {
    id = rest.split("/").map(decodeURIComponent).join("/");
  } catch {
    throw new InvalidDataError("path.id: the preset id is not valid percent-encoding");
  }
  return parseInput(presetIdSchema, id, "path.id");
}

function toDto(stored: StoredPreset): ChartPreset {
  return {
    id: stored.id,
    builtin: false,
    ...stored.body,
    createdAt: stored.createdAt,
    updatedAt: stored.updatedAt,
  };
}
