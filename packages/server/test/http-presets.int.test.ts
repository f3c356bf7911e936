/**
 * Chart presets and custom charts through a real server: the built-ins listed and rendered into
 * Vega-Lite specs with the bound columns, user presets created, read, replaced and removed,
 * a run's custom chart (W&B's `_wandb.visualize` entry plus its table) resolved to its spec, and
 * bad presets or bindings refused naming the field.
 */
import { describe, expect, test } from "vitest";
import {
  chartPresetSchema,
  presetListResponseSchema,
  presetRenderResponseSchema,
  runChartsResponseSchema,
  structuredPaths,
  type PresetPutInput,
  type RunRef,
} from "@stepwise/protocol";
import { startTestServer } from "./http-harness.js";
import { errorOf } from "./support/file-uploads.js";
import { ingestRows, tableFileBytes, tableFileValue, uploadTable } from "./support/structured-values.js";

const ref: RunRef = { entity: "local", project: "charts", runId: "c1" };

const userPreset: PresetPutInput = {
  name: "Dots",
  description: "points sized by a column",
  fields: [{ name: "x" }, { name: "y" }, { name: "size", required: false }],
  stringFields: [{ name: "title", default: "Dots" }],
  spec: {
    data: { name: "table" },
    title: "${string:title}",
    mark: "point",
    encoding: {
      x: { field: "${field:x}", type: "quantitative" },
      y: { field: "${field:y}", type: "quantitative" },
      size: { field: "${field:size}", type: "quantitative" },
    },
  },
};

/** W&B's config entry for a chart logged under `key` (reference § 8.11). */
function visualize(
  presetId: string,
  key: string,
  fields: Record<string, string | null>,
  strings: Record<string, string>,
) {
  return {
    panel_type: "Vega2",
    panel_config: {
      panelDefId: presetId,
      fieldSettings: fields,
      stringSettings: strings,
      transform: { name: "tableWithLeafColNames" },
      userQuery: {
        queryFields: [
          {
            name: "runSets",
            args: [{ name: "runSets", value: "${runSets}" }],
            fields: [
              { name: "id", fields: [] },
              { name: "summaryTable", args: [{ name: "tableKey", value: `${key}_table` }], fields: [] },
            ],
          },
        ],
      },
    },
  };
}

describe("chart presets", () => {
  test("built-ins: one per SDK preset, and a render with the columns bound and the unbound optional channel gone", async () => {
    await using t = await startTestServer();
    const list = presetListResponseSchema.parse(await (await t.fetch(structuredPaths.presets())).json());
    const ids = list.presets.map((p) => p.id);
    for (const id of [
      "stepwise/line/v0",
      "stepwise/scatter/v0",
      "stepwise/bar/v0",
      "stepwise/histogram/v0",
      "stepwise/lineseries/v0",
      "stepwise/pr-curve/v0",
      "stepwise/roc-curve/v0",
      "stepwise/area-under-curve/v0",
      "stepwise/confusion-matrix/v0",
    ])
      expect(ids).toContain(id);
    const response = await t.send("POST", structuredPaths.presetRender(), {
      id: "stepwise/line/v0",
      fields: { x: "epoch", y: "val.acc", stroke: null },
      stringFields: { title: "Accuracy" },
    });
    const { spec } = presetRenderResponseSchema.parse(await response.json());
    expect(spec).toMatchObject({
      title: "Accuracy",
      data: { name: "table" },
      encoding: {
        x: { field: "epoch", type: "quantitative" },
        y: { field: "val\\.acc", type: "quantitative" },
      },
    });
    expect((spec.encoding as Record<string, unknown>).color).toBeUndefined();
    expect(JSON.stringify(spec)).not.toContain("${");
    // The SDK's and W&B's ids name the same specs.
    for (const alias of ["stepwise/confusion_matrix/v1", "wandb/line/v0"]) {
      const found = chartPresetSchema.parse(await (await t.fetch(structuredPaths.preset(alias))).json());
      expect([found.id, found.builtin]).toEqual([alias, true]);
    }
  });

  test("user presets: create, read, list, replace, remove", async () => {
    await using t = await startTestServer();
    const put = await t.send("PUT", structuredPaths.preset("local/dots"), userPreset);
    expect(put.status).toBe(200);
    const created = chartPresetSchema.parse(await put.json());
    expect(created).toMatchObject({ id: "local/dots", builtin: false, name: "Dots", overlay: false });
    const got = chartPresetSchema.parse(await (await t.fetch(structuredPaths.preset("local/dots"))).json());
    expect(got.spec).toEqual(userPreset.spec);
    await t.send("PUT", structuredPaths.preset("local/dots"), { ...userPreset, name: "Dots 2" });
    const list = presetListResponseSchema.parse(await (await t.fetch(structuredPaths.presets())).json());
    expect(list.presets.filter((p) => !p.builtin).map((p) => [p.id, p.name])).toEqual([
      ["local/dots", "Dots 2"],
    ]);
    const render = await t.send("POST", structuredPaths.presetRender(), {
      id: "local/dots",
      fields: { x: "a", y: "b" },
    });
    const { spec } = presetRenderResponseSchema.parse(await render.json());
    expect(spec).toEqual({
      data: { name: "table" },
      title: "Dots",
      mark: "point",
      encoding: { x: { field: "a", type: "quantitative" }, y: { field: "b", type: "quantitative" } },
    });
    expect((await t.fetch(structuredPaths.preset("local/dots"), { method: "DELETE" })).status).toBe(204);
    expect((await t.fetch(structuredPaths.preset("local/dots"))).status).toBe(404);
    expect((await t.fetch(structuredPaths.preset("local/dots"), { method: "DELETE" })).status).toBe(404);
  });

  test("bad presets and bindings are 4xx naming the field", async () => {
    await using t = await startTestServer();
    const cases: Array<[Promise<Response>, number, string]> = [
      [t.send("PUT", structuredPaths.preset("stepwise/mine"), userPreset), 400, "id: the owner"],
      [t.send("PUT", `${structuredPaths.presets()}/just-one`, userPreset), 400, "path.id"],
      [
        t.send("PUT", structuredPaths.preset("local/bad"), { ...userPreset, fields: [{ name: "x" }] }),
        400,
        "spec: uses ${field:y}",
      ],
      [t.send("PUT", structuredPaths.preset("local/bad"), { name: "x" }), 400, "body.spec"],
      [
        t.send("POST", structuredPaths.presetRender(), { id: "stepwise/line/v0", fields: { x: "a" } }),
        400,
        "fields.y",
      ],
      [
        t.send("POST", structuredPaths.presetRender(), {
          id: "stepwise/line/v0",
          fields: { x: "a", y: "b", z: "c" },
        }),
        400,
        "fields.z",
      ],
      [t.send("POST", structuredPaths.presetRender(), { id: "local/none" }), 404, "local/none"],
      [t.fetch(structuredPaths.preset("stepwise/line/v0"), { method: "DELETE" }), 403, "built in"],
    ];
    for (const [request, status, text] of cases) {
      const response = await request;
      expect([response.status, (await errorOf(response)).message]).toEqual([
        status,
        expect.stringContaining(text),
      ]);
    }
  });

  test("specs that reach outside the app are 400 naming the path in the spec, and are not saved", async () => {
    await using t = await startTestServer();
    const withSpec = (spec: Record<string, unknown>): PresetPutInput => ({ ...userPreset, spec });
    const cases: Array<[Record<string, unknown>, string]> = [
      [
        { ...userPreset.spec, layer: [{ mark: "point" }, { data: { url: "http://127.0.0.1:9/rows.json" } }] },
        "spec.layer[1].data.url: fetches data from a URL",
      ],
      [
        {
          ...userPreset.spec,
          encoding: { ...(userPreset.spec.encoding as object), href: { value: "javascript:alert(1)" } },
        },
        'spec.encoding.href: links to "javascript:alert(1)"',
      ],
      [
        { ...userPreset.spec, mark: { type: "point", href: "https://evil.example/" } },
        "spec.mark.href: links to",
      ],
      [
        { ...userPreset.spec, mark: "image", encoding: { url: { value: "https://evil.example/p.png" } } },
        "spec.encoding.url: loads an image from",
      ],
      [{ ...userPreset.spec, mark: { type: "image", url: "/\t/evil.example/p.png" } }, "spec.mark.url"],
    ];
    for (const [spec, text] of cases) {
      const response = await t.send("PUT", structuredPaths.preset("local/outside"), withSpec(spec));
      expect([response.status, (await errorOf(response)).message]).toEqual([
        400,
        expect.stringContaining(text),
      ]);
    }
    expect((await t.fetch(structuredPaths.preset("local/outside"))).status).toBe(404);
    // Links and images on this app, and image URLs taken from the table's cells, are saved.
    const inside = withSpec({
      ...userPreset.spec,
      mark: { type: "point", href: "/local/charts" },
      encoding: { ...(userPreset.spec.encoding as object), url: { field: "${field:x}" } },
    });
    expect((await t.send("PUT", structuredPaths.preset("local/inside"), inside)).status).toBe(200);
  });

  test("a run's custom charts: resolved to their table key and rendered spec; a missing column named", async () => {
    await using t = await startTestServer();
    const bytes = tableFileBytes(
      ["recall", "precision", "class"],
      [
        [0, 1, "cat"],
        [1, 0.5, "cat"],
      ],
    );
    const value = tableFileValue("pr_table", 0, bytes, 2, 3);
    const config = {
      _wandb: {
        visualize: {
          pr: visualize(
            "stepwise/area-under-curve/v0",
            "pr",
            { x: "recall", y: "precision", class: "class" },
            { title: "PR" },
          ),
          broken: visualize("stepwise/line/v0", "pr", { x: "recall", y: "nope" }, {}),
          unknown: visualize("someone/missing/v0", "pr", {}, {}),
        },
      },
    };
    await ingestRows(t, ref, 0, [{ _step: 0, pr_table: value }], config);
    await uploadTable(t, ref, value, bytes);
    const response = await t.fetch(structuredPaths.charts(ref));
    const { charts } = runChartsResponseSchema.parse(await response.json());
    expect(charts.map((c) => c.key)).toEqual(["broken", "pr", "unknown"]);
    const [broken, pr, unknown] = charts;
    expect(pr).toMatchObject({ presetId: "stepwise/area-under-curve/v0", tableKey: "pr_table" });
    expect(pr?.problem).toBeUndefined();
    expect(pr?.spec).toMatchObject({
      title: "PR",
      encoding: { x: { field: "recall" }, color: { field: "class" } },
    });
    expect([broken?.spec, broken?.problem]).toEqual([
      null,
      expect.stringContaining('fields.y: the table has no column "nope"'),
    ]);
    expect([unknown?.spec, unknown?.problem]).toEqual([null, expect.stringContaining("someone/missing/v0")]);
  });
});
