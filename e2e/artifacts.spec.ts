/**
 * Artifacts in Chromium against a real server. Seeded over HTTP (the SDK's logArtifact comes
 * later): each file's bytes are uploaded as a run file (content-addressed, so an artifact entry
 * with the same sha256 needs no second upload), then each version's manifest is committed. A
 * dataset collection with two versions (v1 adds a file and changes one), and a model produced by
 * the run `train` and used by the run `eval`. Checked: the Artifacts section lists both
 * collections; a version page shows the files of the version picked (paths and sizes as
 * committed), its producer and a download that gives the committed bytes; adding an alias on v0
 * moves it there from v1 (read back through the API) and an alias that looks like a version name
 * shows the server's refusal; the run pages list what each run produced and used.
 */
import { createHash } from "node:crypto";
import { manifestDigestText, type ArtifactVersionDto, type ManifestEntry } from "@stepwise/protocol";
import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { useE2eFixture } from "./support/e2e-fixture.js";

const fx = useE2eFixture({ vision: false });
const PROJECT = "artifacts-e2e";
const API = () => `${fx.server().url}/api/v1`;
const sha256 = (bytes: Uint8Array): string => createHash("sha256").update(bytes).digest("hex");
const text = (s: string): Uint8Array<ArrayBuffer> => new TextEncoder().encode(s);

/** The dataset's files per version: path → bytes. */
const DATASET = [
  {
    "train/a.csv": text("x,y\n1,2\n3,4\n"),
    "train/b.csv": text("x,y\n5,6\n"),
    "README.md": text("# mnist subset\n"),
  },
  {
    "train/a.csv": text("x,y\n1,2\n3,4\n"),
    "train/b.csv": text("x,y\n5,6\n7,8\n9,10\n"),
    "test/c.csv": text("x,y\n0,0\n"),
    "README.md": text("# mnist subset\n"),
  },
];
const WEIGHTS = Uint8Array.from({ length: 30_000 }, (_, i) => (i * 31) % 256);
const MODEL = { "weights.bin": WEIGHTS, "config.json": text('{"layers": 4}') };

function headers(): Record<string, string> {
  return { authorization: `Bearer ${fx.server().adminKey}`, "content-type": "application/json" };
}

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${API()}${path}`, {
    method,
    headers: headers(),
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!response.ok) throw new Error(`${method} ${path}: HTTP ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

async function createRun(runId: string): Promise<void> {
  await call("POST", `/runs/local/${PROJECT}/${runId}/ingest`, {
    history: { offset: 0, rows: [{ _step: 0, loss: 1 }] },
  });
}

/** Puts the bytes on the server as a file of `runId` (under `held/`), as the SDK's channel would. */
async function hold(runId: string, path: string, bytes: Uint8Array<ArrayBuffer>): Promise<void> {
  const url = `${API()}/runs/local/${PROJECT}/${runId}/files/held/${path.split("/").map(encodeURIComponent).join("/")}`;
  const response = await fetch(url, {
    method: "PUT",
    headers: { authorization: `Bearer ${fx.server().adminKey}` },
    body: bytes,
  });
  if (!response.ok) throw new Error(`PUT ${path}: HTTP ${response.status} ${await response.text()}`);
}

async function commit(
  name: string,
  type: string,
  files: Record<string, Uint8Array<ArrayBuffer>>,
  producer: string,
  extra: { aliases?: string[]; description?: string; metadata?: Record<string, unknown> } = {},
): Promise<ArtifactVersionDto> {
  const entries: ManifestEntry[] = [];
  for (const [path, bytes] of Object.entries(files)) {
    await hold(producer, path, bytes);
    entries.push({ path, sha256: sha256(bytes), size: bytes.length });
  }
  const body = {
    type,
    manifest: { version: 1, entries },
    digest: sha256(text(manifestDigestText(entries))),
    run: { entity: "local", project: PROJECT, runId: producer },
    ...extra,
  };
  return (
    await call<{ version: ArtifactVersionDto }>("POST", `/artifacts/local/${PROJECT}/${name}/versions`, body)
  ).version;
}

beforeAll(async () => {
  for (const run of ["prep", "train", "eval"]) await createRun(run);
  await commit("mnist", "dataset", DATASET[0] ?? {}, "prep", { aliases: ["raw"] });
  await commit("mnist", "dataset", DATASET[1] ?? {}, "prep", {
    aliases: ["best"],
    description: "MNIST subset with a test split",
    metadata: { rows: 6 },
  });
  await commit("resnet", "model", MODEL, "train");
  await call("POST", `/artifacts/local/${PROJECT}/resnet/latest/uses`, {
    run: { entity: "local", project: PROJECT, runId: "eval" },
  });
});

const fileRow = (page: Page, path: string) =>
  page.locator(`[data-testid="artifact-files"] [data-testid="artifact-file"][data-path="${path}"]`);

/** Path → size in bytes (from the row's title) of every file row on the page. */
async function shownFiles(page: Page): Promise<Record<string, number>> {
  const rows = await page
    .locator('[data-testid="artifact-file"]')
    .evaluateAll((nodes) =>
      nodes.map((n): [string, string] => [
        n.getAttribute("data-path") ?? "",
        n.querySelector('[data-testid="artifact-size"]')?.getAttribute("title") ?? "",
      ]),
    );
  const shown: Record<string, number> = {};
  for (const [path, title] of rows) shown[path] = Number.parseInt(title, 10);
  return shown;
}

/** Bytes of the distinct contents of these file sets (what the server stores, each blob once). */
function distinctBytes(...sets: Record<string, Uint8Array>[]): number {
  const seen = new Map<string, number>();
  for (const set of sets) for (const bytes of Object.values(set)) seen.set(sha256(bytes), bytes.length);
  return [...seen.values()].reduce((sum, n) => sum + n, 0);
}

const sizes = (files: Record<string, Uint8Array>): Record<string, number> =>
  Object.fromEntries(Object.entries(files).map(([path, bytes]) => [path, bytes.length]));

describe("artifacts", () => {
  it("lists the project's collections by type, linked from the project's navigation", async () => {
    const page = await fx.open(`/local/${PROJECT}/runs/train`);
    await page.locator('[data-testid="nav-artifacts"]').click();
    await page.locator('[data-testid="artifact-collection"]').first().waitFor();
    const rows = await page.locator('[data-testid="artifact-collection"]').evaluateAll((nodes) =>
      nodes.map((n) => ({
        name: n.getAttribute("data-name"),
        type: n.closest('[data-testid="artifact-type"]')?.getAttribute("data-type"),
        versions: n.querySelector('[data-testid="artifact-version-count"]')?.textContent,
        latest: n.querySelector('[data-testid="artifact-latest"]')?.textContent,
      })),
    );
    expect(rows).toEqual([
      { name: "mnist", type: "dataset", versions: "2", latest: "v1" },
      { name: "resnet", type: "model", versions: "1", latest: "v0" },
    ]);
    // Storage: each distinct content once (mnist's versions share train/a.csv), from the tooltips.
    await page.locator('[data-testid="artifact-storage-total"]').waitFor();
    const stored = await page
      .locator('[data-testid="artifact-collection"] [data-testid="artifact-stored"]')
      .evaluateAll((nodes) => nodes.map((n) => Number.parseInt(n.getAttribute("title") ?? "", 10)));
    const mnist = distinctBytes(DATASET[0] ?? {}, DATASET[1] ?? {});
    expect(stored).toEqual([mnist, distinctBytes(MODEL)]);
    const total = await page.locator('[data-testid="artifact-storage-total"]').getAttribute("title");
    expect(Number.parseInt(total ?? "", 10)).toBe(distinctBytes(DATASET[0] ?? {}, DATASET[1] ?? {}, MODEL));
    await page.locator('[data-testid="artifact-collection"][data-name="mnist"] a').click();
    await page.locator('[data-testid="artifact-version-page"][data-version="v1"]').waitFor();
    expect(await shownFiles(page)).toEqual(sizes(DATASET[1] ?? {}));
  });

  it("shows the files, producer and details of the version picked, with working downloads", async () => {
    await call("PUT", `/artifacts/local/${PROJECT}/mnist/v1/ttl`, { ttlS: 86_400 });
    const page = await fx.open(`/local/${PROJECT}/artifacts/mnist/latest`);
    await page.locator('[data-testid="artifact-version-page"][data-version="v1"]').waitFor();
    await expect(page.locator('[data-testid="artifact-ttl"]').innerText()).resolves.toMatch(
      /^1d 00h, expires \d{4}-\d\d-\d\d /,
    );
    const versions = await page
      .locator('[data-testid="version-link"]')
      .evaluateAll((nodes) => nodes.map((n) => n.getAttribute("data-version")));
    expect(versions).toEqual(["v1", "v0"]);
    await expect(page.locator('[data-testid="artifact-description"]').innerText()).resolves.toBe(
      "MNIST subset with a test split",
    );
    await page.locator('[data-testid="version-link"][data-version="v0"]').click();
    await page.locator('[data-testid="artifact-version-page"][data-version="v0"]').waitFor();
    expect(await shownFiles(page)).toEqual(sizes(DATASET[0] ?? {}));
    await expect(fileRow(page, "test/c.csv").count()).resolves.toBe(0);
    await expect(page.locator('[data-testid="artifact-producer"]').innerText()).resolves.toBe("prep");
    await expect(page.locator('[data-testid="artifact-ttl"]').innerText()).resolves.toBe(
      "none (kept until deleted)",
    );
    await expect(
      page
        .locator('[data-testid="artifact-folder"][data-path="train"] [data-testid="artifact-size"]')
        .getAttribute("title"),
    ).resolves.toBe(
      `${(DATASET[0]?.["train/a.csv"]?.length ?? 0) + (DATASET[0]?.["train/b.csv"]?.length ?? 0)} bytes`,
    );
    // The download link is the manifest's signed URL: it gives the committed bytes with no key.
    const href = await fileRow(page, "train/b.csv")
      .locator('[data-testid="artifact-download"]')
      .getAttribute("href");
    const bytes = new Uint8Array(await (await fetch(new URL(href ?? "", fx.server().url))).arrayBuffer());
    expect(sha256(bytes)).toBe(sha256(DATASET[0]?.["train/b.csv"] ?? new Uint8Array()));
    await page.locator('[data-testid="artifact-producer"] a').click();
    await page.waitForURL(`**/local/${PROJECT}/runs/prep`);
  });

  it("moves an alias to the version it is added on, and shows the server's refusal of a version name", async () => {
    const page = await fx.open(`/local/${PROJECT}/artifacts/mnist/v0`);
    const aliasesOf = (version: string) =>
      call<ArtifactVersionDto>("GET", `/artifacts/local/${PROJECT}/mnist/${version}`).then((v) => v.aliases);
    expect(await aliasesOf("v1")).toEqual(["latest", "best"]);
    const input = page.locator('[data-testid="alias-input"]');
    await input.fill("best");
    await input.press("Enter");
    await page.locator('[data-testid="alias-editor"] [data-alias="best"]').waitFor();
    expect(await aliasesOf("v0")).toEqual(["best", "raw"]);
    expect(await aliasesOf("v1")).toEqual(["latest"]);
    // The version list is read again: v1 no longer carries it.
    await page
      .locator('[data-testid="version-link"][data-version="v1"] [data-testid="version-alias"]', {
        hasText: "best",
      })
      .waitFor({ state: "detached" });

    await page
      .locator('[data-testid="alias-editor"] [data-alias="raw"] [data-testid="alias-remove"]')
      .click();
    await page.locator('[data-testid="alias-editor"] [data-alias="raw"]').waitFor({ state: "detached" });
    expect(await aliasesOf("v0")).toEqual(["best"]);

    await input.fill("v7");
    await input.press("Enter");
    await expect(page.locator('[data-testid="alias-error"]').innerText()).resolves.toMatch(/version name/);
    await expect(input.inputValue()).resolves.toBe("v7");
    expect(await aliasesOf("v0")).toEqual(["best"]);
  });

  it("edits a version's tags: adds one, removes one, refuses one that breaks the tag rule", async () => {
    const page = await fx.open(`/local/${PROJECT}/artifacts/mnist/v1`);
    const tagsOf = () =>
      call<ArtifactVersionDto>("GET", `/artifacts/local/${PROJECT}/mnist/v1`).then((v) => v.tags);
    const before = await tagsOf();
    const input = page.locator('[data-testid="tag-input"]');
    await input.fill("reviewed");
    await input.press("Enter");
    await page.locator('[data-testid="tag-editor"] [data-tag="reviewed"]').waitFor();
    expect(await tagsOf()).toEqual([...before, "reviewed"]);
    await page.locator('[data-testid="tag-editor"] [data-tag="reviewed"] [data-testid="tag-remove"]').click();
    await page.locator('[data-testid="tag-editor"] [data-tag="reviewed"]').waitFor({ state: "detached" });
    expect(await tagsOf()).toEqual(before);
    await input.fill("no/slash");
    await input.press("Enter");
    await page.locator('[data-testid="tag-error"]').waitFor();
    expect(await tagsOf()).toEqual(before);
  });

  it("lists on a run's page the artifacts it produced and used, each linking to its version", async () => {
    const train = await fx.open(`/local/${PROJECT}/runs/train`);
    const produced = train.locator(
      '[data-testid="run-artifacts-produced"] [data-testid="run-artifact-link"]',
    );
    await produced.first().waitFor();
    await expect(produced.evaluateAll((n) => n.map((a) => a.getAttribute("data-artifact")))).resolves.toEqual(
      ["resnet:v0"],
    );
    await expect(
      train.locator('[data-testid="run-artifacts-used"] [data-testid="run-artifact-link"]').count(),
    ).resolves.toBe(0);

    const evaluation = await fx.open(`/local/${PROJECT}/runs/eval`);
    const used = evaluation.locator('[data-testid="run-artifacts-used"] [data-testid="run-artifact-link"]');
    await used.first().waitFor();
    await expect(used.evaluateAll((n) => n.map((a) => a.getAttribute("data-artifact")))).resolves.toEqual([
      "resnet:v0",
    ]);
    await used.first().click();
    await evaluation.locator('[data-testid="artifact-version-page"][data-version="v0"]').waitFor();
    expect(await shownFiles(evaluation)).toEqual(sizes(MODEL));
    await expect(evaluation.locator('[data-testid="artifact-producer"]').innerText()).resolves.toBe("train");
  });
});
