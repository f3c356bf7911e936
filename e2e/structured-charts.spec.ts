/**
 * Custom charts in Chromium against a real server, seeded as W&B logs `plot.*` charts: the
 * chart's table as a `table-file` history value under `<key>_table` and the config entry
 * `_wandb.visualize.<key>` naming the preset and its bindings. A PR curve and a confusion matrix
 * draw marks whose data are the logged rows (read from Vega's scenegraph); a preset written in
 * the spec editor previews live, saves, and then draws a run's chart that names it.
 */
import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { useE2eFixture } from "./support/e2e-fixture.js";
import { seeder } from "./support/structured-seed.js";

const fx = useE2eFixture({ vision: false });
const PROJECT = "charts-e2e";
const seed = seeder(() => fx.server(), PROJECT);

const PR_ROWS = [
  ["cat", 1, 0],
  ["cat", 0.8, 0.5],
  ["cat", 0.6, 1],
  ["dog", 1, 0],
  ["dog", 0.9, 0.4],
  ["dog", 0.5, 1],
] as const;
const PR2_ROWS = [
  ["cat", 1, 0],
  ["cat", 0.7, 0.6],
  ["cat", 0.4, 1],
  ["dog", 1, 0],
  ["dog", 0.3, 1],
] as const;
const CLASSES = ["cat", "dog", "bird"];
const MATRIX = [
  [5, 1, 0],
  [2, 7, 1],
  [0, 3, 9],
];
const CM_ROWS = CLASSES.flatMap((actual, a) =>
  CLASSES.map((predicted, p) => [actual, predicted, MATRIX[a]?.[p] ?? 0]),
);
const SCORES = [
  ["a", 3],
  ["b", 7],
  ["c", 5],
] as const;
const USER_PRESET = "me/bars/v0";
const USER_SPEC = {
  $schema: "https://vega.github.io/schema/vega-lite/v5.json",
  title: "${string:title}",
  data: { name: "table" },
  mark: "bar",
  encoding: {
    x: { field: "${field:label}", type: "nominal" },
    y: { field: "${field:value}", type: "quantitative" },
  },
};

/** W&B's `_wandb.visualize.<key>` entry (wandb/plot/custom_chart.py). */
function visualize(
  presetId: string,
  fields: Record<string, string>,
  strings: Record<string, string>,
  tableKey: string,
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
              { name: "name", fields: [] },
              { name: "_defaultColorIndex", fields: [] },
              { name: "summaryTable", args: [{ name: "tableKey", value: tableKey }], fields: [] },
            ],
          },
        ],
      },
    },
  };
}

beforeAll(async () => {
  await seed.ingest("curves", { run: { name: "curves-run" } });
  const pr = await seed.table(
    "curves",
    "pr_table",
    0,
    ["class", "precision", "recall"],
    PR_ROWS.map((r) => [...r]),
  );
  const cm = await seed.table("curves", "cm_table", 0, ["Actual", "Predicted", "nPredictions"], CM_ROWS);
  const scores = await seed.table(
    "curves",
    "scores_table",
    0,
    ["label", "value"],
    SCORES.map((r) => [...r]),
  );
  await seed.ingest("curves", {
    run: {
      config: {
        _wandb: {
          visualize: {
            pr: visualize(
              "stepwise/area-under-curve/v0",
              { x: "recall", y: "precision", class: "class" },
              { title: "PR" },
              "pr_table",
            ),
            cm: visualize(
              "stepwise/confusion_matrix/v1",
              { Actual: "Actual", Predicted: "Predicted", nPredictions: "nPredictions" },
              { title: "Confusion" },
              "cm_table",
            ),
            mybars: visualize(
              USER_PRESET,
              { label: "label", value: "value" },
              { title: "Mine" },
              "scores_table",
            ),
          },
        },
      },
    },
    history: { offset: 0, rows: [{ _step: 0, pr_table: pr, cm_table: cm, scores_table: scores }] },
    summary: { pr_table: pr, cm_table: cm, scores_table: scores, _step: 0 },
  });
  // A second run with its own PR curve: the preset overlays runs.
  await seed.ingest("curves2", { run: { name: "curves2-run" } });
  const pr2 = await seed.table(
    "curves2",
    "pr_table",
    0,
    ["class", "precision", "recall"],
    PR2_ROWS.map((r) => [...r]),
  );
  await seed.ingest("curves2", {
    run: {
      config: {
        _wandb: {
          visualize: {
            pr: visualize(
              "stepwise/area-under-curve/v0",
              { x: "recall", y: "precision", class: "class" },
              { title: "PR" },
              "pr_table",
            ),
          },
        },
      },
    },
    history: { offset: 0, rows: [{ _step: 0, pr_table: pr2 }] },
    summary: { pr_table: pr2, _step: 0 },
  });
});

interface Mark {
  type: string;
  data: Array<Record<string, unknown>>;
}

/** The marks a chart drew, with the data fields the test compares. */
async function marksOf(page: Page, id: string, fields: string[]): Promise<Mark[]> {
  await page.waitForFunction((id) => window.__stepwiseVega?.[id] !== undefined, id, { timeout: 20_000 });
  return page.evaluate(
    ({ id, fields }) =>
      (window.__stepwiseVega?.[id]?.marks() ?? []).map((mark) => ({
        type: mark.type,
        data: mark.data.map((d) =>
          Object.fromEntries(fields.map((f) => [f, (d as Record<string, unknown>)[f]])),
        ),
      })),
    { id, fields },
  );
}

const sorted = <T>(rows: T[]): T[] =>
  [...rows].sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));

describe("custom charts", () => {
  it("draws the PR curve's lines through the logged points, one per class", async () => {
    const page = await fx.open(`/local/${PROJECT}?hidden=curves2`);
    await page.locator('[data-testid="custom-chart"][data-key="pr"]').waitFor({ timeout: 15_000 });
    const marks = await marksOf(page, "pr|curves", ["class", "recall", "precision"]);
    const lines = marks.filter((m) => m.type === "line");
    expect(lines.length).toBeGreaterThan(0);
    const drawn = lines.flatMap((m) => m.data);
    expect(sorted(drawn)).toEqual(
      sorted(PR_ROWS.map(([c, p, r]) => ({ class: c, recall: r, precision: p }))),
    );
    const svg = page.locator('[data-chart-id="pr|curves"] svg path[aria-roledescription="line mark"]');
    await expect(svg.count()).resolves.toBe(2);
  });

  it("draws the run's custom charts on its run page", async () => {
    const page = await fx.open(`/local/${PROJECT}/runs/curves`);
    await page
      .locator('[data-testid="run-charts"] [data-testid="custom-chart"][data-key="pr"]')
      .waitFor({ timeout: 15_000 });
    const marks = await marksOf(page, "pr|curves", ["class", "recall", "precision"]);
    const drawn = marks.filter((m) => m.type === "line").flatMap((m) => m.data);
    expect(sorted(drawn)).toEqual(
      sorted(PR_ROWS.map(([c, p, r]) => ({ class: c, recall: r, precision: p }))),
    );
  });

  it("overlays two runs' PR curves in one chart, each run's classes as their own lines", async () => {
    const page = await fx.open(`/local/${PROJECT}`);
    const chart = page.locator('[data-testid="custom-chart"][data-key="pr"] [data-testid="vega-chart"]');
    await chart.first().waitFor({ timeout: 15_000 });
    await expect(chart.count()).resolves.toBe(1);
    const id = await chart.getAttribute("data-chart-id");
    expect(id?.split("|")[1]?.split(",").sort()).toEqual(["curves", "curves2"]);
    const marks = await marksOf(page, id ?? "", ["_run", "class", "recall", "precision"]);
    const drawn = marks.filter((m) => m.type === "line").flatMap((m) => m.data);
    const logged = [
      ...PR_ROWS.map(([c, p, r]) => ({ _run: "curves", class: c, recall: r, precision: p })),
      ...PR2_ROWS.map(([c, p, r]) => ({ _run: "curves2", class: c, recall: r, precision: p })),
    ];
    expect(sorted(drawn)).toEqual(sorted(logged));
    const lines = page.locator(`[data-chart-id="${id}"] svg path[aria-roledescription="line mark"]`);
    await expect(lines.count()).resolves.toBe(4);
  });

  it("draws the confusion matrix's cells with the logged counts", async () => {
    const page = await fx.open(`/local/${PROJECT}?hidden=curves2`);
    await page.locator('[data-testid="custom-chart"][data-key="cm"]').waitFor({ timeout: 15_000 });
    const marks = await marksOf(page, "cm|curves", ["Actual", "Predicted", "nPredictions"]);
    const cells = marks.filter((m) => m.type === "rect").flatMap((m) => m.data);
    expect(sorted(cells)).toEqual(
      sorted(CM_ROWS.map(([a, p, n]) => ({ Actual: a, Predicted: p, nPredictions: n }))),
    );
    const texts = marks.filter((m) => m.type === "text").flatMap((m) => m.data.map((d) => d["nPredictions"]));
    expect([...texts].sort()).toEqual(CM_ROWS.map((r) => r[2]).sort());
  });

  it("previews a preset from the spec editor, saves it, and a run's chart naming it then draws", async () => {
    const page = await fx.open(`/local/${PROJECT}/runs/curves`);
    await page.locator('[data-testid="preset-editor-toggle"]').click();
    await page
      .locator('[data-testid="preset-table"] option[value="scores_table"]')
      .waitFor({ state: "attached" });
    await page.locator('[data-testid="preset-table"]').selectOption("scores_table");
    await page.locator('[data-testid="preset-id"]').fill(USER_PRESET);
    await page.locator('[data-testid="preset-spec"]').fill(JSON.stringify(USER_SPEC, null, 2));
    await page
      .locator('[data-testid="preset-field"][data-field="label"] option[value="label"]')
      .waitFor({ state: "attached" });
    await page.locator('[data-testid="preset-field"][data-field="label"]').selectOption("label");
    await page.locator('[data-testid="preset-field"][data-field="value"]').selectOption("value");
    await page.locator('[data-testid="preset-string"][data-string="title"]').fill("Mine");
    const expected = sorted(SCORES.map(([label, value]) => ({ label, value })));
    await expect
      .poll(async () =>
        sorted(
          (await marksOf(page, "preset-preview", ["label", "value"])).flatMap((m) =>
            m.type === "rect" ? m.data : [],
          ),
        ),
      )
      .toEqual(expected);
    await page.locator('[data-testid="preset-save"]').click();
    await expect
      .poll(() => page.locator('[data-testid="preset-status"]').innerText())
      .toBe(`Saved ${USER_PRESET}`);
    const saved = await marksOf(page, `preset-saved|${USER_PRESET}`, ["label", "value"]);
    expect(sorted(saved.filter((m) => m.type === "rect").flatMap((m) => m.data))).toEqual(expected);

    const workspace = await fx.open(`/local/${PROJECT}?hidden=curves2`);
    await workspace.locator('[data-testid="custom-chart"][data-key="mybars"]').waitFor({ timeout: 15_000 });
    const drawn = await marksOf(workspace, "mybars|curves", ["label", "value"]);
    expect(sorted(drawn.filter((m) => m.type === "rect").flatMap((m) => m.data))).toEqual(expected);
  });
});
