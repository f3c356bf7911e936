/**
 * The registry and the lineage graph in Chromium, fed by the real SDK: a `prep` run logs the
 * dataset `mnist`, a `train` run uses it and logs and links the model `cnn`
 * (`run.linkModel(…, "digits", { aliases: ["production"] })`), then logs and links a second
 * version, and an `eval` run uses the first model. Checked: the model's version page draws the
 * chain dataset → train → model → eval left to right (each node where its place in the chain
 * says) and lists where the version is linked; the registry pages list the collection and its
 * linked versions; adding `production` on v1 there moves it from v0 (read back through the Api)
 * and the audit log on the page shows the move.
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Api, init } from "@stepwise/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useE2eFixture } from "./support/e2e-fixture.js";

const fx = useE2eFixture({ vision: false });
const PROJECT = "lineage-e2e";
let dir = "";
const ids: Record<string, string> = {};

async function folder(name: string, files: Record<string, string>): Promise<string> {
  const root = join(dir, name);
  await mkdir(root, { recursive: true });
  for (const [path, text] of Object.entries(files)) await writeFile(join(root, path), text);
  return root;
}

async function runAs(name: string, work: (run: Awaited<ReturnType<typeof init>>) => Promise<void>) {
  const run = await init({
    project: PROJECT,
    name,
    dir: join(dir, "runs"),
    baseUrl: fx.server().url,
    apiKey: fx.server().adminKey,
    settings: { silent: true },
  });
  await work(run);
  await run.finish();
  ids[name] = run.id;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "stepwise-e2e-lineage-"));
  await runAs("prep", async (run) => {
    await (
      await run.logArtifact(await folder("data", { "train.csv": "x,y\n1,2\n" }), {
        name: "mnist",
        type: "dataset",
      })
    ).wait();
  });
  await runAs("train", async (run) => {
    await run.useArtifact("mnist:latest");
    await run.linkModel(await folder("m0", { "weights.bin": "first" }), "digits", {
      name: "cnn",
      aliases: ["production"],
    });
    await run.linkModel(await folder("m1", { "weights.bin": "second" }), "digits", {
      name: "cnn",
      aliases: ["staging"],
    });
  });
  await runAs("eval", async (run) => {
    await run.useArtifact("cnn:v0");
  });
});

afterAll(async () => {
  if (dir !== "") await rm(dir, { recursive: true, force: true });
});

describe("registry and lineage", () => {
  it("draws the dataset → train → model → eval chain on the model's version page", async () => {
    const page = await fx.open(`/local/${PROJECT}/artifacts/cnn/v0`);
    await page.locator('[data-testid="lineage-node"]').nth(3).waitFor();
    const nodes = await page.locator('[data-testid="lineage-node"]').evaluateAll((els) =>
      els.map((el) => ({
        kind: el.getAttribute("data-kind"),
        label: el.getAttribute("data-label"),
        x: Number(/translate\(([-\d.]+),/.exec(el.getAttribute("transform") ?? "")?.[1]),
      })),
    );
    const x = (label: string) => nodes.find((n) => n.label === label)?.x ?? Number.NaN;
    expect(nodes.map((n) => `${n.kind} ${n.label}`).sort()).toEqual(
      [
        "artifact cnn:v0",
        "artifact cnn:v1",
        "artifact mnist:v0",
        `run ${ids["prep"]}`,
        `run ${ids["train"]}`,
        `run ${ids["eval"]}`,
      ].sort(),
    );
    // Left to right: prep → dataset → train → model → eval.
    const chain = [ids["prep"] ?? "", "mnist:v0", ids["train"] ?? "", "cnn:v0", ids["eval"] ?? ""].map(x);
    expect(chain).toEqual([...chain].sort((a, b) => a - b));
    expect(new Set(chain).size).toBe(5);
    expect(await page.locator('[data-testid="lineage-edge"]').count()).toBe(5);
    // Where this version is linked, opening the registry collection.
    await expect(page.locator('[data-testid="registry-link"]').innerText()).resolves.toMatch(
      /model\/digits:v0\s*production/,
    );
    await page.locator('[data-testid="registry-link"] a').click();
    await page.locator('[data-testid="registry-collection-page"]').waitFor();
    // A run node opens its run page.
    await page.goBack();
    await page.locator(`[data-testid="lineage-node"][data-label="${ids["eval"]}"]`).click();
    await page.waitForURL(`**/local/${PROJECT}/runs/${ids["eval"]}`);
  });

  it("lists the registry, moves production on a linked version, and shows the move in the audit log", async () => {
    // From a project's page through the top bar's Registry link.
    const page = await fx.open(`/local/${PROJECT}`);
    await page.locator('[data-testid="nav-registry"]').click();
    await page.waitForURL("**/local/-/registry");
    await page.locator('[data-testid="registry-collection-row"]').first().waitFor();
    await expect(page.locator('[data-testid="registry-collection-row"]').innerText()).resolves.toMatch(
      /digits\s+model\s+2\s+v1/,
    );
    await page.locator('[data-testid="registry-collection-row"] a').click();
    await page.locator('[data-testid="registry-version-row"][data-version="v1"]').waitFor();
    const row = (v: string) => page.locator(`[data-testid="registry-version-row"][data-version="${v}"]`);
    await expect(row("v0").locator('[data-testid="registry-version-artifact"]').innerText()).resolves.toBe(
      `${PROJECT}/cnn:v0`,
    );
    const input = row("v1").locator('[data-testid="alias-input"]');
    await input.fill("production");
    await input.press("Enter");
    await row("v1").locator('[data-testid="alias-editor"] [data-alias="production"]').waitFor();
    await row("v0").locator('[data-alias="production"]').waitFor({ state: "detached" });
    const api = new Api({
      baseUrl: fx.server().url,
      apiKey: fx.server().adminKey,
      env: { STEPWISE_CACHE_DIR: join(dir, "cache") },
    });
    expect((await api.artifact("local/model-registry/digits:production")).qualifiedName).toBe(
      `local/${PROJECT}/cnn:v1`,
    );
    const audit = page.locator('[data-testid="registry-audit-row"][data-action="alias"]', {
      hasText: "production: v0 → v1",
    });
    await audit.waitFor();
    const entries = await api.registryAudit("local/model/digits");
    expect(entries[0]).toMatchObject({ action: "alias", alias: "production", from: "v0", to: "v1" });
    expect(entries.filter((e) => e.action === "link").map((e) => e.actor)).toEqual([
      `run:local/${PROJECT}/${ids["train"]}`,
      `run:local/${PROJECT}/${ids["train"]}`,
    ]);
  });
});
