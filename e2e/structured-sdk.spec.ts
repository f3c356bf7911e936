/**
 * The structured panels end to end with the real SDK: a run logs `Histogram.fromCounts` over
 * steps (uneven edges), a `Table` with an `Image` cell, `plot.confusionMatrix` from predicted
 * labels and `plot.prCurve`, and finishes; the UI's heatmap, table and custom charts then show
 * what was logged — the confusion matrix's counts by hand, the heatmap's counts as given.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { Histogram, Image, plot, Table } from "@stepwise/sdk";
import { useE2eFixture } from "./support/e2e-fixture.js";
import { logRuns, type LoggedRun } from "./support/log-runs.js";
import "./support/structured-seed.js";

const fx = useE2eFixture({ vision: false });
const PROJECT = "structured-sdk";
/** Uneven edges, kept as logged. */
const EDGES = [-1, 0, 0.5, 3];
const countsAt = (step: number): number[] => [step, 10 - step, 3];
const Y_TRUE = [0, 0, 1, 1, 2, 2, 2];
const PREDS = [0, 1, 1, 1, 2, 0, 2];
const CLASSES = ["cat", "dog", "bird"];
/** Counted by hand from Y_TRUE × PREDS: actual-major. */
const MATRIX = [
  [1, 1, 0],
  [0, 2, 0],
  [1, 0, 2],
];
const ROWS = [
  [1, "cat", 0.9],
  [2, "dog", 0.2],
  [3, "cat", 0.6],
] as const;
let run: LoggedRun;

beforeAll(async () => {
  [run] = (await logRuns(fx.server(), [
    {
      project: PROJECT,
      name: "sdk-structured",
      logSteps(r) {
        for (let step = 0; step < 10; step++)
          r.log({ "layer/weights": Histogram.fromCounts(countsAt(step), EDGES), loss: 1 / (step + 1) });
        const table = new Table({ columns: ["id", "label", "score", "picture"] });
        for (const [id, label, score] of ROWS)
          table.addData(
            id,
            label,
            score,
            id === 2
              ? new Image([
                  [
                    [255, 0, 0],
                    [0, 255, 0],
                  ],
                ])
              : null,
          );
        r.log({
          preds: table,
          cm: plot.confusionMatrix({ yTrue: Y_TRUE, preds: PREDS, classNames: CLASSES }),
          pr: plot.prCurve(
            [0, 1, 1, 0],
            [
              [0.8, 0.2],
              [0.3, 0.7],
              [0.4, 0.6],
              [0.6, 0.4],
            ],
            { labels: ["neg", "pos"] },
          ),
        });
      },
    },
  ])) as [LoggedRun];
});

describe("structured panels of a run logged with the SDK", () => {
  it("draws the histograms with the counts and uneven edges logged", async () => {
    const page = await fx.open(`/local/${PROJECT}`);
    const id = `layer/weights|${run.id}`;
    await page
      .locator('[data-testid="histogram-panel"][data-key="layer/weights"]')
      .waitFor({ timeout: 20_000 });
    await page.waitForFunction((id) => (window.__stepwiseHeatmaps?.[id]?.frames ?? 0) === 10, id);
    // Exact (10 steps fit the width): each column keeps the histogram as logged, uneven edges and all.
    const drawn = await page.evaluate(
      (id) => [0, 4, 9].map((step) => window.__stepwiseHeatmaps?.[id]?.at(step)?.logged ?? null),
      id,
    );
    expect(drawn).toEqual([0, 4, 9].map((step) => ({ bins: EDGES, counts: countsAt(step) })));
  });

  it("shows the table's rows and its image cell", async () => {
    const page = await fx.open(`/local/${PROJECT}`);
    const grid = page.locator(
      `[data-testid="table-panel"][data-key="preds"] [data-testid="run-table"][data-run-id="${run.id}"]`,
    );
    await grid.locator('[data-testid="table-row"][data-row-index]').first().waitFor({ timeout: 20_000 });
    const labels = await grid
      .locator('[data-testid="table-row"][data-row-index] [data-column="label"]')
      .evaluateAll((cells) => cells.map((c) => c.getAttribute("title")));
    expect(labels).toEqual(ROWS.map((r) => r[1]));
    const image = grid.locator('[data-testid="table-image"]');
    await image.waitFor();
    await page.waitForFunction(() => {
      const img = document.querySelector<HTMLImageElement>('[data-testid="table-image"]');
      return img !== null && img.complete && img.naturalWidth > 0;
    });
    await expect(
      image.evaluate((img) => [
        (img as HTMLImageElement).naturalWidth,
        (img as HTMLImageElement).naturalHeight,
      ]),
    ).resolves.toEqual([2, 1]);
  });

  it("draws the confusion matrix with the counts of the logged labels, and the PR curve", async () => {
    const page = await fx.open(`/local/${PROJECT}`);
    await page.locator('[data-testid="custom-chart"][data-key="cm"]').waitFor({ timeout: 20_000 });
    const cmId = `cm|${run.id}`;
    await page.waitForFunction((id) => window.__stepwiseVega?.[id] !== undefined, cmId, { timeout: 20_000 });
    const cells = await page.evaluate(
      (id) =>
        (window.__stepwiseVega?.[id]?.marks() ?? [])
          .filter((m) => m.type === "rect")
          .flatMap((m) => m.data as Array<Record<string, unknown>>)
          .map((d) => [d["Actual"], d["Predicted"], d["nPredictions"]]),
      cmId,
    );
    const expected = CLASSES.flatMap((actual, a) =>
      CLASSES.map((predicted, p) => [actual, predicted, MATRIX[a]?.[p]]),
    );
    expect([...cells].sort()).toEqual([...expected].sort());
    const prId = `pr|${run.id}`;
    await page.waitForFunction((id) => window.__stepwiseVega?.[id] !== undefined, prId, { timeout: 20_000 });
    const classes = await page.evaluate(
      (id) =>
        [
          ...new Set(
            (window.__stepwiseVega?.[id]?.marks() ?? [])
              .filter((m) => m.type === "line")
              .flatMap((m) => m.data.map((d) => (d as Record<string, unknown>)["class"])),
          ),
        ].sort(),
      prId,
    );
    expect(classes).toEqual(["neg", "pos"]);
  });
});
