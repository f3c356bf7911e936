/**
 * Media panels in Chromium against a real server, with pixel checks. Runs are logged through the
 * ingest route with W&B-shaped media values in history and their files uploaded (as the SDK's
 * data types write them), so every pixel and sample is known: the image at a chosen step shows
 * the logged pixels; stepping the slider (and the arrow keys) shows the next step; toggling a
 * mask class changes the pixels; a score slider hides a box; a key that changed type warns;
 * audio and video load and play; a point cloud renders with "shown / total"; a molecule loads;
 * logged HTML runs sandboxed and cannot read the app's cookies or storage nor call its API.
 */
import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { useE2eFixture } from "./support/e2e-fixture.js";
import {
  BOX_A,
  BOX_B,
  COLORS,
  GREY,
  logMediaProject,
  POINTS,
  PROJECT,
  SECRET,
} from "./support/media-project.js";

const fx = useE2eFixture({ vision: false });

beforeAll(async () => {
  await logMediaProject(fx.server(), fx.browser());
}, 120_000);

/** A media panel, scrolled into view: panels out of view fetch nothing. */
const panel = (page: Page, key: string) => page.locator(`[data-testid="media-panel"][data-key="${key}"]`);

async function shown(page: Page, key: string) {
  const located = panel(page, key);
  // Charts above may still grow and push the panel out again before it was seen: scroll until it loaded.
  for (let attempt = 0; attempt < 10; attempt++) {
    await located.scrollIntoViewIfNeeded();
    const ready = located.and(page.locator('[data-state="ready"]'));
    if (
      await ready.waitFor({ timeout: 1_000 }).then(
        () => true,
        () => false,
      )
    )
      break;
  }
  return located;
}

/** The RGB of logged pixel (x, y) as the canvas shows it (zoom 1: canvas px = image px × data-fit). */
async function pixelAt(page: Page, selector: string, x: number, y: number): Promise<number[]> {
  return page.locator(selector).evaluate(
    (canvas: HTMLCanvasElement, [px, py]) => {
      const fit = Number(canvas.dataset["fit"]);
      const data = canvas
        .getContext("2d")
        ?.getImageData(Math.floor((px + 0.5) * fit), Math.floor((py + 0.5) * fit), 1, 1).data;
      return data === undefined ? [] : [data[0] ?? 0, data[1] ?? 0, data[2] ?? 0];
    },
    [x, y] as const,
  );
}

async function canvasOf(page: Page, key: string, run: string, step: number): Promise<string> {
  const selector = `[data-testid="media-panel"][data-key="${key}"] [data-testid="media-run"][data-run="${run}"][data-step="${step}"] canvas[data-ready="true"]`;
  // Images load when they come into view: keep the run's images in view until they are drawn.
  const images = page.locator(
    `[data-testid="media-panel"][data-key="${key}"] [data-testid="media-run"][data-run="${run}"] canvas`,
  );
  for (let attempt = 0; attempt < 20; attempt++) {
    await images
      .first()
      .scrollIntoViewIfNeeded({ timeout: 1_000 })
      .catch(() => undefined);
    if (
      await page
        .locator(selector)
        .waitFor({ timeout: 1_000 })
        .then(
          () => true,
          () => false,
        )
    )
      return selector;
  }
  await page.locator(selector).waitFor({ timeout: 1_000 });
  return selector;
}

async function openWorkspace(): Promise<Page> {
  const page = await fx.open(`/local/${PROJECT}`);
  await panel(page, "val/preds").waitFor();
  return page;
}

const near = (a: number[], b: readonly number[], tolerance = 3) =>
  a.length === b.length && a.every((v, i) => Math.abs(v - (b[i] ?? 0)) <= tolerance);

describe("media panels", () => {
  it("shows each run's image at the chosen step, with the logged pixels and captions", async () => {
    const page = await openWorkspace();
    const preds = await shown(page, "val/preds");
    // The last step is shown first: alpha's step 20 (with its mask), beta's step 10 (its last image).
    await canvasOf(page, "val/preds", "beta", 10);
    await preds.locator('[data-testid="media-slider"]').fill("0");
    const alpha0 = await canvasOf(page, "val/preds", "alpha", 0);
    const beta0 = await canvasOf(page, "val/preds", "beta", 0);
    expect(await pixelAt(page, alpha0, 3, 3)).toEqual(COLORS["alpha"]?.[0]);
    expect(await pixelAt(page, alpha0, 0, 0)).toEqual([255, 255, 255]);
    expect(await pixelAt(page, beta0, 7, 5)).toEqual(COLORS["beta"]?.[0]);
    await expect(preds.locator('[data-testid="media-caption"]').allInnerTexts()).resolves.toEqual([
      "alpha @ 0",
      "beta @ 0",
    ]);
    await expect(preds.locator('[data-testid="media-x"]').getAttribute("data-x")).resolves.toBe("0");

    // Zooming one image zooms every image of the panel: the white top-left pixel leaves the corner of both.
    const corner = (selector: string) =>
      page
        .locator(selector)
        .evaluate((c: HTMLCanvasElement) => [
          ...(c.getContext("2d")?.getImageData(2, 2, 1, 1).data.slice(0, 3) ?? []),
        ]);
    expect(await corner(beta0)).toEqual([255, 255, 255]);
    await page.locator(alpha0).hover();
    for (let i = 0; i < 4; i++) await page.mouse.wheel(0, -100);
    await expect.poll(() => corner(beta0)).toEqual(COLORS["beta"]?.[0]);
    expect(await corner(alpha0)).toEqual(COLORS["alpha"]?.[0]);
    await preds.getByRole("button", { name: "Reset zoom" }).click();
    await expect.poll(() => corner(beta0)).toEqual([255, 255, 255]);
  });

  it("steps to the next step with the arrow key and the next button", async () => {
    const page = await openWorkspace();
    const preds = await shown(page, "val/preds");
    await preds.locator('[data-testid="media-slider"]').fill("0");
    await canvasOf(page, "val/preds", "alpha", 0);
    await preds.focus();
    await page.keyboard.press("ArrowRight");
    expect(await pixelAt(page, await canvasOf(page, "val/preds", "alpha", 10), 3, 3)).toEqual(
      COLORS["alpha"]?.[10],
    );
    expect(await pixelAt(page, await canvasOf(page, "val/preds", "beta", 10), 3, 3)).toEqual(
      COLORS["beta"]?.[10],
    );
    await preds.getByRole("button", { name: "Next step" }).click();
    // Alpha moves on; beta logged no image at 20 and keeps its last one (10).
    await canvasOf(page, "val/preds", "alpha", 20);
    await canvasOf(page, "val/preds", "beta", 10);
    // Play wraps to the first step and moves on by itself; pause stops it.
    await preds.locator('[data-testid="media-play"]').click();
    await expect.poll(() => preds.locator('[data-testid="media-x"]').getAttribute("data-x")).toBe("0");
    await expect.poll(() => preds.locator('[data-testid="media-x"]').getAttribute("data-x")).toBe("10");
    await preds.locator('[data-testid="media-play"]').click();
    const stopped = await preds.locator('[data-testid="media-x"]').getAttribute("data-x");
    await page.waitForTimeout(600);
    expect(await preds.locator('[data-testid="media-x"]').getAttribute("data-x")).toBe(stopped);
  });

  it("a drag of the slider that passes steps shows the images logged at the step it stops at", async () => {
    const page = await openWorkspace();
    const preds = await shown(page, "val/preds");
    await canvasOf(page, "val/preds", "alpha", 20);
    // A drag: input events a few ms apart, over steps 0 → 20 and back to 0. What the passed steps
    // asked for is called off; the step stopped at shows its own images, and a later jump to a
    // passed step asks for its images anew.
    await preds.locator('[data-testid="media-slider"]').evaluate(async (slider: HTMLInputElement) => {
      // The prototype's setter, as a user's input sets it (React's tracker would swallow a plain assignment).
      // eslint-disable-next-line @typescript-eslint/unbound-method -- called with the slider as `this`
      const set = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, "value")?.set;
      for (const value of ["1", "2", "1", "0", "1", "0"]) {
        set?.call(slider, value);
        slider.dispatchEvent(new Event("input", { bubbles: true }));
        await new Promise((resolve) => setTimeout(resolve, 4));
      }
    });
    expect(await pixelAt(page, await canvasOf(page, "val/preds", "alpha", 0), 3, 3)).toEqual(
      COLORS["alpha"]?.[0],
    );
    expect(await pixelAt(page, await canvasOf(page, "val/preds", "beta", 0), 3, 3)).toEqual(
      COLORS["beta"]?.[0],
    );
    await preds.locator('[data-testid="media-slider"]').fill("1");
    expect(await pixelAt(page, await canvasOf(page, "val/preds", "alpha", 10), 3, 3)).toEqual(
      COLORS["alpha"]?.[10],
    );
    expect(await pixelAt(page, await canvasOf(page, "val/preds", "beta", 10), 3, 3)).toEqual(
      COLORS["beta"]?.[10],
    );
    await expect(preds.locator(".media-error").count()).resolves.toBe(0);
  });

  it("moves the synced panels of a section together, and an unsynced one alone", async () => {
    const page = await openWorkspace();
    const preds = await shown(page, "val/preds");
    const truth = await shown(page, "val/truth");
    await preds.locator('[data-testid="media-slider"]').fill("1");
    await expect.poll(() => truth.locator('[data-testid="media-x"]').getAttribute("data-x")).toBe("10");
    await canvasOf(page, "val/truth", "alpha", 10);
    await truth.getByLabel("sync").uncheck();
    await preds.locator('[data-testid="media-slider"]').fill("0");
    await expect.poll(() => preds.locator('[data-testid="media-x"]').getAttribute("data-x")).toBe("0");
    // Unsynced, the panel keeps its own position (its last step, as a fresh panel starts).
    expect(await truth.locator('[data-testid="media-x"]').getAttribute("data-x")).toBe("20");
  });

  it("lets the slider follow another metric (epoch) instead of the step", async () => {
    const page = await openWorkspace();
    const preds = await shown(page, "val/preds");
    await preds.getByLabel("Slider follows").selectOption("epoch");
    // The last position first: epoch 2 (alpha's step 20).
    await expect.poll(() => preds.locator('[data-testid="media-x"]').innerText()).toBe("epoch 2");
    await preds.locator('[data-testid="media-slider"]').fill("1");
    // epoch is step / 10: position 1 is epoch 1, alpha's step 10.
    await expect.poll(() => preds.locator('[data-testid="media-x"]').innerText()).toBe("epoch 1");
    expect(await pixelAt(page, await canvasOf(page, "val/preds", "alpha", 10), 3, 3)).toEqual(
      COLORS["alpha"]?.[10],
    );
  });

  it("blends the mask over the image and toggling a mask class changes the pixels", async () => {
    const page = await openWorkspace();
    const preds = await shown(page, "val/preds");
    const alpha20 = await canvasOf(page, "val/preds", "alpha", 20);
    await preds.locator('[data-testid="mask-controls"][data-mask="gt"]').waitFor();
    await expect(
      preds
        .locator('[data-testid="mask-class"]')
        .evaluateAll((els) => els.map((e) => e.parentElement?.textContent)),
    ).resolves.toEqual(["background", "cat"]);
    const right = await pixelAt(page, alpha20, 6, 3);
    const left = await pixelAt(page, alpha20, 2, 3);
    // Opacity 0.5 over blue (0, 0, 200): class 1's green (60, 180, 75) on the right, class 0's red (230, 25, 75) on the left.
    expect(near(right, [30, 90, 137])).toBe(true);
    expect(near(left, [115, 12, 137])).toBe(true);
    await preds.locator('[data-testid="mask-class"][data-class="1"]').uncheck();
    await page.waitForFunction(
      ([sel]) => {
        const c = document.querySelector<HTMLCanvasElement>(sel);
        const fit = Number(c?.dataset["fit"]);
        const d = c?.getContext("2d")?.getImageData(Math.floor(6.5 * fit), Math.floor(3.5 * fit), 1, 1).data;
        return d !== undefined && d[0] === 0 && d[1] === 0 && d[2] === 200;
      },
      [alpha20] as const,
    );
    expect(near(await pixelAt(page, alpha20, 2, 3), left)).toBe(true);
    await preds.locator('[data-testid="mask-toggle"]').uncheck();
    await page.waitForFunction(
      ([sel]) => {
        const c = document.querySelector<HTMLCanvasElement>(sel);
        const fit = Number(c?.dataset["fit"]);
        const d = c?.getContext("2d")?.getImageData(Math.floor(2.5 * fit), Math.floor(3.5 * fit), 1, 1).data;
        return d !== undefined && d[0] === 0 && d[2] === 200;
      },
      [alpha20] as const,
    );
  });

  it("warns about a key whose values changed type, and still shows its images", async () => {
    const page = await openWorkspace();
    const warning = (await shown(page, "val/preds")).locator('[data-testid="media-kind-warning"]');
    await warning.waitFor();
    expect(await warning.innerText()).toContain("image, number");
    await canvasOf(page, "val/preds", "alpha", 20);
  });

  it("a score slider hides a box", async () => {
    const page = await openWorkspace();
    const boxes = await shown(page, "boxes");
    const canvas = await canvasOf(page, "boxes", "alpha", 40);
    await boxes.locator('[data-testid="box-score"][data-score="conf"]').waitFor();
    const edge = async (box: typeof BOX_B) =>
      page.locator(canvas).evaluate((c: HTMLCanvasElement, b) => {
        const fit = Number(c.dataset["fit"]);
        const y = Math.floor(((b.minY + b.maxY) / 2) * fit);
        const d = c.getContext("2d")?.getImageData(Math.floor(b.minX * fit) - 2, y, 4, 1).data ?? [];
        const out: number[][] = [];
        for (let i = 0; i < d.length; i += 4) out.push([d[i] ?? 0, d[i + 1] ?? 0, d[i + 2] ?? 0]);
        return out;
      }, box);
    // Box b (class 1, conf 0.3) is stroked in class 1's colour on its left edge.
    expect((await edge(BOX_B)).some((p) => near(p, [60, 180, 75], 10))).toBe(true);
    await boxes.locator('[data-testid="box-score"][data-score="conf"]').fill("0.5");
    await expect.poll(async () => (await edge(BOX_B)).every((p) => near(p, GREY, 2))).toBe(true);
    // Box a (class 0, conf 0.9) is still drawn, in class 0's colour.
    expect((await edge(BOX_A)).some((p) => near(p, [230, 25, 75], 10))).toBe(true);
  });

  it("loads and plays audio (with its waveform) and video", async () => {
    const page = await openWorkspace();
    const audio = (await shown(page, "sound")).locator('[data-testid="media-audio"]');
    await audio.waitFor();
    const played = await audio.evaluate(async (el: HTMLAudioElement) => {
      el.muted = true;
      await el.play();
      await new Promise((r) => setTimeout(r, 400));
      return { readyState: el.readyState, time: el.currentTime, duration: el.duration };
    });
    expect(played.readyState).toBeGreaterThanOrEqual(2);
    expect(played.time).toBeGreaterThan(0.1);
    expect(played.duration).toBeCloseTo(2, 1);
    const inked = await panel(page, "sound")
      .locator('[data-testid="media-waveform"]')
      .evaluate((c: HTMLCanvasElement) => {
        const d = c.getContext("2d")?.getImageData(0, 0, c.width, c.height).data ?? [];
        let n = 0;
        for (let i = 3; i < d.length; i += 4) if ((d[i] ?? 0) > 0) n++;
        return n;
      });
    expect(inked).toBeGreaterThan(1000);
    await expect(panel(page, "sound").locator('[data-testid="media-caption"]').innerText()).resolves.toBe(
      "440 Hz",
    );

    const video = (await shown(page, "clip")).locator('[data-testid="media-video"]');
    await video.waitFor();
    const v = await video.evaluate(async (el: HTMLVideoElement) => {
      await el.play();
      const t0 = el.currentTime;
      await new Promise((r) => setTimeout(r, 600));
      return { readyState: el.readyState, t0, t1: el.currentTime, w: el.videoWidth };
    });
    expect(v.readyState).toBeGreaterThanOrEqual(2);
    expect(v.t1).toBeGreaterThan(v.t0);
    expect(v.w).toBe(64);
  });

  it("renders a point cloud in WebGL with the shown / total count, thinned past the chosen limit", async () => {
    const page = await openWorkspace();
    const cloud = await shown(page, "cloud");
    const count = cloud.locator('[data-testid="points-count"]');
    await count.waitFor();
    await expect(count.getAttribute("data-total")).resolves.toBe(String(POINTS));
    await expect(count.getAttribute("data-shown")).resolves.toBe(String(POINTS));
    await cloud.locator('[data-testid="points-limit"]').selectOption("100000");
    await page.waitForFunction(
      () => document.querySelector('[data-testid="points-count"]')?.getAttribute("data-shown") === "83334",
    );
    await expect(count.innerText()).resolves.toBe("83,334 / 250,000 points");
    await cloud.locator('[data-testid="media-3d"][data-ready="true"]').waitFor();
    // Points are drawn: pixels differ from the clear colour (#111418).
    const lit = await cloud.locator('[data-testid="media-3d"]').evaluate((c: HTMLCanvasElement) => {
      const copy = document.createElement("canvas");
      copy.width = c.width;
      copy.height = c.height;
      const ctx = copy.getContext("2d");
      ctx?.drawImage(c, 0, 0);
      const d = ctx?.getImageData(0, 0, c.width, c.height).data ?? [];
      let n = 0;
      for (let i = 0; i < d.length; i += 4) if (Math.abs((d[i + 2] ?? 0) - 0x18) > 40) n++;
      return n;
    });
    expect(lit).toBeGreaterThan(500);
  });

  it("shows a molecule with its atoms", async () => {
    const page = await openWorkspace();
    const mol = (await shown(page, "mol")).locator('[data-testid="media-molecule"]');
    await page.waitForFunction(
      () => document.querySelector('[data-testid="media-molecule"]')?.getAttribute("data-atoms") === "3",
    );
    await expect(mol.locator("canvas").count()).resolves.toBeGreaterThan(0);
  });

  it("runs logged HTML sandboxed: its script reads no app cookie or storage and cannot use the API", async () => {
    const page = await fx.open(`/local/${PROJECT}`);
    await page.evaluate((secret) => {
      localStorage.setItem("stepwise.probe", secret);
      document.cookie = `probe=${secret}; path=/`;
    }, SECRET);
    await page.reload();
    const frame = (await shown(page, "report")).locator('[data-testid="media-html"]');
    await frame.waitFor();
    await expect(frame.getAttribute("sandbox")).resolves.toBe("allow-scripts");
    const handle = await frame.elementHandle();
    const content = await handle?.contentFrame();
    if (content === null || content === undefined) throw new Error("no iframe content");
    await content.waitForFunction(() => document.body.dataset["result"] !== undefined);
    const result = JSON.parse(
      (await content.evaluate(() => document.body.dataset["result"])) ?? "{}",
    ) as Record<string, string>;
    expect(JSON.stringify(result)).not.toContain(SECRET);
    expect(result["cookie"]).toMatch(/^blocked: SecurityError/);
    expect(result["localStorage"]).toMatch(/^blocked: SecurityError/);
    expect(result["parent"]).toMatch(/^blocked: SecurityError/);
    expect(result["origin"]).toBe("null");
    expect(result["get"]).toMatch(/^blocked/);
    expect(result["post"]).toMatch(/^blocked/);
    // The run kept its name: the PATCH never reached the server.
    const run = (await (
      await fetch(`${fx.server().url}/api/v1/runs/local/${PROJECT}/alpha`, {
        headers: { authorization: `Bearer ${fx.server().adminKey}` },
      })
    ).json()) as { name: string };
    expect(run.name).toBe("alpha");
  });
});
