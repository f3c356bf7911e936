/**
 * The run page's Files tab in Chromium against a real server: files uploaded through the
 * server's upload route show as a folder tree with the uploaded sizes; a text file, a JSON file
 * (pretty-printed), a PNG and a long log (its first MiB, marked truncated) preview; a download
 * gives the uploaded bytes (sha256); `?file=` reopens a selection; the tree works from the
 * keyboard; a run without files says how to save some. The runs are created through the ingest
 * route, not the SDK: the SDK uploads its own run files, and the empty run must stay empty.
 */
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { crc32, deflateSync } from "node:zlib";
import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { useE2eFixture } from "./support/e2e-fixture.js";

const fx = useE2eFixture({ vision: false });
const PROJECT = "files-e2e";
const sha256 = (bytes: Uint8Array): string => createHash("sha256").update(bytes).digest("hex");

const NOTES = "hello files\nsecond line\n";
const METRICS = { acc: 0.93, per_class: { cat: 0.9, dog: 0.96 }, labels: ["cat", "dog"] };
/** 1.5 MiB of numbered lines: more than the 1 MiB a preview reads. */
const LOG = Array.from({ length: 60_000 }, (_, i) => `step ${i} loss ${(1 / (i + 1)).toFixed(8)}`).join("\n");
const SAMPLE = png(3, 2);
/** A one-page PDF (no xref table: viewers rebuild it). */
const PDF =
  "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 100]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n";
const CKPT = Uint8Array.from({ length: 20_000 }, (_, i) => (i * 7919) % 251);

/** The files of the run `with-files`: path → bytes and the content type sent with them. */
const FILES: Record<string, { bytes: Uint8Array<ArrayBuffer>; type?: string }> = {
  "notes.txt": { bytes: new TextEncoder().encode(NOTES), type: "text/plain" },
  "results/metrics.json": {
    bytes: new TextEncoder().encode(JSON.stringify(METRICS)),
    type: "application/json",
  },
  "logs/train.log": { bytes: new TextEncoder().encode(LOG) },
  "media/images/sample 1.png": { bytes: SAMPLE, type: "image/png" },
  "media/images/sample 2.png": { bytes: png(5, 4), type: "image/png" },
  "media/table.csv": { bytes: new TextEncoder().encode("a,b\n1,2\n") },
  "ckpt/model.bin": { bytes: CKPT, type: "application/octet-stream" },
  "docs/report.pdf": { bytes: new TextEncoder().encode(PDF), type: "application/pdf" },
};

/** Files of the run `many`, in one folder. */
const MANY = 3000;

beforeAll(async () => {
  await createRun("with-files");
  await createRun("empty");
  for (const [path, { bytes, type }] of Object.entries(FILES)) await upload("with-files", path, bytes, type);
});

/** Through the server's upload route, `PUT …/files/<path>` (each segment percent-encoded). */
async function upload(
  runId: string,
  path: string,
  bytes: Uint8Array<ArrayBuffer>,
  type?: string,
): Promise<void> {
  const url = `${fx.server().url}/api/v1/runs/local/${PROJECT}/${runId}/files/${path.split("/").map(encodeURIComponent).join("/")}`;
  const headers: Record<string, string> = { authorization: `Bearer ${fx.server().adminKey}` };
  if (type !== undefined) headers["content-type"] = type;
  const response = await fetch(url, { method: "PUT", headers, body: bytes });
  if (!response.ok) throw new Error(`PUT ${path}: HTTP ${response.status} ${await response.text()}`);
}

async function createRun(runId: string): Promise<void> {
  const response = await fetch(`${fx.server().url}/api/v1/runs/local/${PROJECT}/${runId}/ingest`, {
    method: "POST",
    headers: { authorization: `Bearer ${fx.server().adminKey}`, "content-type": "application/json" },
    body: JSON.stringify({ history: { offset: 0, rows: [{ _step: 0, loss: 1 }] } }),
  });
  if (!response.ok) throw new Error(`ingest ${runId}: HTTP ${response.status} ${await response.text()}`);
}

async function openFiles(runId: string, query = ""): Promise<Page> {
  const page = await fx.open(`/local/${PROJECT}/runs/${runId}${query}`);
  await page.locator('[data-testid="files-tab"]').waitFor();
  return page;
}

const row = (page: Page, path: string) => page.locator(`[data-testid="file-tree"] [data-path="${path}"]`);
const bytesOf = (...paths: string[]): number =>
  paths.reduce((sum, path) => sum + (FILES[path]?.bytes.length ?? 0), 0);

async function previewText(page: Page, path: string): Promise<string> {
  await page
    .locator(`[data-testid="file-preview"][data-path="${path}"] [data-testid="preview-text"]`)
    .waitFor();
  return page.locator('[data-testid="preview-text"]').evaluate((pre) => pre.textContent ?? "");
}

describe("run files tab", () => {
  it("shows the files as a tree of nested folders, each with its file count and size total", async () => {
    const page = await openFiles("with-files");
    const images = row(page, "media/images");
    await images.waitFor();
    await expect(images.getAttribute("aria-level")).resolves.toBe("2");
    await expect(images.locator('[data-testid="file-count"]').innerText()).resolves.toBe("2 files");
    await expect(images.locator('[data-testid="file-size"]').getAttribute("title")).resolves.toBe(
      `${bytesOf("media/images/sample 1.png", "media/images/sample 2.png")} bytes`,
    );
    const media = row(page, "media");
    await expect(media.locator('[data-testid="file-count"]').innerText()).resolves.toBe("3 files");
    await expect(media.locator('[data-testid="file-size"]').getAttribute("title")).resolves.toBe(
      `${bytesOf("media/images/sample 1.png", "media/images/sample 2.png", "media/table.csv")} bytes`,
    );
    await expect(
      row(page, "logs/train.log").locator('[data-testid="file-size"]').getAttribute("title"),
    ).resolves.toBe(`${bytesOf("logs/train.log")} bytes`);
    // Folders first, then files; names as the tree lists them.
    const order = await page
      .locator('[data-testid="file-tree"] [role="treeitem"]')
      .evaluateAll((nodes) => nodes.map((n) => n.getAttribute("data-path")));
    expect(order).toEqual([
      "ckpt",
      "ckpt/model.bin",
      "docs",
      "docs/report.pdf",
      "logs",
      "logs/train.log",
      "media",
      "media/images",
      "media/images/sample 1.png",
      "media/images/sample 2.png",
      "media/table.csv",
      "results",
      "results/metrics.json",
      "notes.txt",
    ]);
    await expect(page.locator('[data-testid="files-total"]').innerText()).resolves.toContain("8 files");
    // A folder closes and opens again.
    await media.click();
    await images.waitFor({ state: "detached" });
    await expect(media.getAttribute("aria-expanded")).resolves.toBe("false");
    await media.click();
    await images.waitFor();
  });

  it("previews a text file, a JSON file pretty-printed, a PNG as an image and a PDF", async () => {
    const page = await openFiles("with-files");
    await row(page, "notes.txt").click();
    expect(await previewText(page, "notes.txt")).toBe(NOTES);
    expect(page.url()).toContain("?file=notes.txt");

    await row(page, "results/metrics.json").click();
    expect(await previewText(page, "results/metrics.json")).toBe(JSON.stringify(METRICS, null, 2));

    await row(page, "media/images/sample 2.png").click();
    const image = page.locator('[data-testid="file-preview"][data-path="media/images/sample 2.png"] img');
    await image.waitFor();
    await page.waitForFunction(
      () => document.querySelector<HTMLImageElement>('[data-testid="preview-image"]')?.complete === true,
    );
    await expect(
      image.evaluate((img: HTMLImageElement) => [img.naturalWidth, img.naturalHeight]),
    ).resolves.toEqual([5, 4]);

    // A PDF is shown from a blob: URL of the fetched bytes, typed application/pdf.
    await row(page, "docs/report.pdf").click();
    const pdf = page.locator('[data-testid="file-preview"][data-path="docs/report.pdf"] object');
    await pdf.waitFor({ state: "attached" });
    const blob = await pdf.evaluate(async (object: HTMLObjectElement) => {
      const fetched = await (await fetch(object.data)).blob();
      return { url: object.data.slice(0, 5), type: fetched.type, size: fetched.size };
    });
    expect(blob).toEqual({ url: "blob:", type: "application/pdf", size: PDF.length });
  });

  it("shows the first MiB of a long log, marked truncated", async () => {
    const page = await openFiles("with-files", "?file=logs/train.log");
    const text = await previewText(page, "logs/train.log");
    await page.locator('[data-testid="preview-truncated"]').waitFor();
    expect(text.length).toBe(1024 * 1024);
    expect(text).toBe(LOG.slice(0, text.length));
  });

  it("downloads a file as the bytes uploaded", async () => {
    const page = await openFiles("with-files", "?file=ckpt/model.bin");
    const preview = page.locator('[data-testid="file-preview"][data-path="ckpt/model.bin"]');
    await expect(preview.locator('[data-testid="preview-none"]').innerText()).resolves.toContain(
      "No preview",
    );
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      preview.locator('[data-testid="file-download"]').click(),
    ]);
    expect(download.suggestedFilename()).toBe("model.bin");
    expect(sha256(await readFile(await download.path()))).toBe(sha256(CKPT));

    // A name with a space, from its row in the tree (each segment percent-encoded).
    const [image] = await Promise.all([
      page.waitForEvent("download"),
      row(page, "media/images/sample 1.png").locator('[data-testid="file-download"]').click(),
    ]);
    expect(sha256(await readFile(await image.path()))).toBe(sha256(SAMPLE));
  });

  it("reopens the file the URL names, and says when the run has no such file", async () => {
    const first = await openFiles("with-files");
    await row(first, "results/metrics.json").click();
    await previewText(first, "results/metrics.json");
    const link = first.url();
    expect(new URL(link).searchParams.get("file")).toBe("results/metrics.json");

    const reopened = await fx.browser().newPage();
    await reopened.goto(link);
    expect(await previewText(reopened, "results/metrics.json")).toBe(JSON.stringify(METRICS, null, 2));
    await expect(row(reopened, "results/metrics.json").getAttribute("aria-selected")).resolves.toBe("true");
    await reopened.close();

    const missing = await openFiles("with-files", "?file=nope/gone.txt");
    await expect(missing.locator('[data-testid="preview-hint"]').innerText()).resolves.toContain(
      "no file “nope/gone.txt”",
    );
  });

  it("works from the keyboard: arrows move, ← closes a folder, Enter previews a file", async () => {
    const page = await openFiles("with-files");
    const tree = page.locator('[data-testid="file-tree"]');
    await row(page, "ckpt").waitFor();
    await tree.focus();
    await page.keyboard.press("End");
    await page.keyboard.press("Enter");
    expect(await previewText(page, "notes.txt")).toBe(NOTES);
    await page.keyboard.press("Home");
    await page.keyboard.press("ArrowLeft");
    await row(page, "ckpt/model.bin").waitFor({ state: "detached" });
    await page.keyboard.press("ArrowRight");
    await page.keyboard.press("ArrowRight");
    await page.keyboard.press("Enter");
    await page.locator('[data-testid="file-preview"][data-path="ckpt/model.bin"]').waitFor();
  });

  it("draws only the rows near the view in a folder of 3,000 files, and End reaches the last", async () => {
    await createRun("many");
    const paths = Array.from({ length: MANY }, (_, i) => `steps/step_${i}.txt`);
    for (let i = 0; i < paths.length; i += 16) {
      await Promise.all(
        paths.slice(i, i + 16).map((path) => upload("many", path, new TextEncoder().encode(path))),
      );
    }
    const page = await openFiles("many");
    const folder = row(page, "steps");
    await expect(folder.locator('[data-testid="file-count"]').innerText()).resolves.toBe(`${MANY} files`);
    await folder.click();
    await row(page, "steps/step_0.txt").waitFor();
    const drawn = await page.locator('[data-testid="file-tree"] [role="treeitem"]').count();
    expect(drawn).toBeGreaterThan(10);
    expect(drawn).toBeLessThan(80);
    await page.keyboard.press("End");
    await page.keyboard.press("Enter");
    // Counting order: step_2999 is the last row, not step_999.
    const last = `steps/step_${MANY - 1}.txt`;
    expect(await previewText(page, last)).toBe(last);
    await expect(row(page, last).getAttribute("aria-selected")).resolves.toBe("true");
  }, 180_000);

  it("says how to save files when the run has none", async () => {
    const page = await openFiles("empty");
    const empty = page.locator('[data-testid="files-tab"] [data-testid="empty-state"]');
    await expect(empty.innerText()).resolves.toContain("No files in this run");
    await expect(empty.innerText()).resolves.toContain("run.save(");
    await expect(page.locator('[data-testid="file-tree"]').count()).resolves.toBe(0);
  });
});

/** A `width`×`height` RGB PNG (a gradient), built here so the test knows its true size. */
function png(width: number, height: number): Uint8Array<ArrayBuffer> {
  const chunk = (type: string, data: Buffer): Buffer => {
    const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB, no interlace
  const rows = Array.from({ length: height }, (_, y) =>
    Buffer.from([0, ...Array.from({ length: width }, (_, x) => [x * 40, y * 60, 128]).flat()]),
  );
  const file = Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(Buffer.concat(rows))),
    chunk("IEND", Buffer.alloc(0)),
  ]);
  return new Uint8Array(file);
}
