/**
 * Chart presets cannot reach outside the app (issue 11, security). A local HTTP server started
 * here counts every request: a spec typed in the editor whose `data.url` points at it is refused
 * in the preview (naming the path) and on save (400 naming the path), and a saved preset whose
 * image marks take their URL from a table cell pointing at it is drawn through the inline-only
 * loader, which refuses the load; the server never sees a request and the chart says why.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useE2eFixture } from "./support/e2e-fixture.js";
import { seeder } from "./support/structured-seed.js";

const fx = useE2eFixture({ vision: false });
const PROJECT = "chart-safety-e2e";
const seed = seeder(() => fx.server(), PROJECT);
const IMAGE_PRESET = "me/remote-images/v0";

let outside: Server;
let outsideUrl = "";
const requests: string[] = [];

/** W&B's `_wandb.visualize.<key>` entry naming a preset and its bindings. */
function visualize(presetId: string, fields: Record<string, string>, tableKey: string) {
  return {
    panel_type: "Vega2",
    panel_config: {
      panelDefId: presetId,
      fieldSettings: fields,
      stringSettings: {},
      transform: { name: "tableWithLeafColNames" },
      userQuery: {
        queryFields: [
          {
            name: "runSets",
            args: [{ name: "runSets", value: "${runSets}" }],
            fields: [{ name: "summaryTable", args: [{ name: "tableKey", value: tableKey }], fields: [] }],
          },
        ],
      },
    },
  };
}

beforeAll(async () => {
  outside = createServer((request, response) => {
    requests.push(request.url ?? "");
    response.writeHead(200, { "content-type": "application/json", "access-control-allow-origin": "*" });
    response.end("[]");
  });
  await new Promise<void>((resolve) => outside.listen(0, "127.0.0.1", resolve));
  outsideUrl = `http://127.0.0.1:${(outside.address() as AddressInfo).port}`;

  const server = fx.server();
  const put = await fetch(`${server.url}/api/v1/presets/${IMAGE_PRESET}`, {
    method: "PUT",
    headers: { authorization: `Bearer ${server.adminKey}`, "content-type": "application/json" },
    body: JSON.stringify({
      name: "Remote images",
      fields: [{ name: "x" }, { name: "img" }],
      stringFields: [],
      spec: {
        data: { name: "table" },
        mark: { type: "image", width: 20, height: 20 },
        encoding: {
          x: { field: "${field:x}", type: "quantitative" },
          url: { field: "${field:img}", type: "nominal" },
        },
      },
    }),
  });
  expect(put.status).toBe(200);
  await seed.ingest("pics", { run: { name: "pics-run" } });
  const table = await seed.table(
    "pics",
    "pics_table",
    0,
    ["x", "img"],
    [
      [1, `${outsideUrl}/pixel-1.png`],
      [2, `${outsideUrl}/pixel-2.png`],
    ],
  );
  await seed.ingest("pics", {
    run: {
      config: {
        _wandb: { visualize: { pics: visualize(IMAGE_PRESET, { x: "x", img: "img" }, "pics_table") } },
      },
    },
    history: { offset: 0, rows: [{ _step: 0, pics_table: table }] },
    summary: { pics_table: table, _step: 0 },
  });
});

afterAll(async () => {
  await new Promise<void>((resolve) => outside.close(() => resolve()));
});

describe("chart presets reach nothing outside the app", () => {
  it("refuses a spec whose data.url points elsewhere in the editor's preview and on save", async () => {
    const page = await fx.open(`/local/${PROJECT}/runs/pics`);
    await page.locator('[data-testid="preset-editor-toggle"]').click();
    await page
      .locator('[data-testid="preset-table"] option[value="pics_table"]')
      .waitFor({ state: "attached" });
    await page.locator('[data-testid="preset-table"]').selectOption("pics_table");
    await page.locator('[data-testid="preset-id"]').fill("me/outside-data/v0");
    const spec = {
      data: { url: `${outsideUrl}/rows.json` },
      mark: "point",
      encoding: { x: { field: "${field:x}", type: "quantitative" } },
    };
    await page.locator('[data-testid="preset-spec"]').fill(JSON.stringify(spec, null, 2));
    await page
      .locator('[data-testid="preset-field"][data-field="x"] option[value="x"]')
      .waitFor({ state: "attached" });
    await page.locator('[data-testid="preset-field"][data-field="x"]').selectOption("x");
    const preview = page.locator('[data-chart-id="preset-preview"] [data-testid="vega-error"]');
    await expect.poll(() => preview.innerText(), { timeout: 15_000 }).toContain("spec.data.url");
    expect(await preview.innerText()).toContain("The chart is not drawn");
    await page.locator('[data-testid="preset-save"]').click();
    await expect
      .poll(() => page.locator('[data-testid="preset-status"]').innerText())
      .toMatch(/^Not saved: .*spec\.data\.url/);
    expect(requests).toEqual([]);
  });

  it("draws a saved preset's image marks through a loader that refuses the table's outside URLs", async () => {
    const page = await fx.open(`/local/${PROJECT}`);
    const error = page.locator('[data-testid="custom-chart"][data-key="pics"] [data-testid="vega-error"]');
    await error.waitFor({ timeout: 20_000 });
    await expect.poll(() => error.innerText()).toContain(`image refused: "${outsideUrl}/pixel-`);
    // Give the browser time to have fetched, had the loader let it.
    await page.waitForTimeout(500);
    expect(requests).toEqual([]);
  });
});
