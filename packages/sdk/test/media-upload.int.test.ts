/**
 * Media end to end with a real server process: an online run, and an offline run synced later,
 * log every media type; the server's history rows hold W&B's JSON, and every file a row names is
 * served with the bytes whose sha256 and size the row gives, at `media/<dir>/<key>_<step>_<sha20>.<ext>`.
 * The image's pixels, read back from the server's PNG, are the pixels logged.
 */
import { createHash } from "node:crypto";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { decode } from "fast-png";
import { describe, expect, it } from "vitest";
import {
  Audio,
  Html,
  Image,
  init,
  Molecule,
  Object3D,
  syncRunDirectory,
  Video,
  type Run,
} from "../src/index.js";
import { fetchHistory, type RunPath } from "./support/server-process.js";
import { serverFileBytes } from "./support/server-files.js";
import { useServerForFile } from "./support/server-process.js";

const { server, tempDir } = useServerForFile();

const PIXELS = new Uint8Array(6 * 4 * 3).map((_, i) => (i * 11) & 255);
const MASK = [
  [0, 1, 1, 0, 0, 2],
  [0, 1, 1, 0, 0, 2],
  [0, 0, 0, 0, 0, 2],
  [3, 3, 3, 3, 3, 3],
];

function logEveryType(run: Run, root: string): void {
  const pdb = join(root, "ala.pdb");
  writeFileSync(pdb, "ATOM      1  N   ALA A   1      11.104   6.134  -6.504  1.00  0.00           N\n");
  run.log({
    image: new Image(
      { data: PIXELS, shape: [4, 6, 3] },
      {
        caption: "pred",
        masks: { gt: { maskData: MASK } },
        boxes: {
          det: {
            boxData: [
              {
                position: { minX: 0, maxX: 3, minY: 0, maxY: 2 },
                domain: "pixel",
                classId: 1,
                scores: { p: 0.9 },
              },
            ],
          },
        },
      },
    ),
    grid: [
      new Image([
        [0, 1],
        [1, 0],
      ]),
      new Image(
        [
          [1, 0],
          [0, 1],
        ],
        { caption: "b" },
      ),
    ],
    audio: new Audio(
      Float32Array.from({ length: 400 }, (_, i) => Math.sin(i / 8)),
      { sampleRate: 8000 },
    ),
    video: new Video({ data: new Uint8Array(2 * 1 * 3 * 3).fill(128), shape: [2, 1, 3, 3] }),
    page: new Html("<p>hello</p>"),
    molecule: new Molecule(pdb),
    cloud: new Object3D([
      [0, 0, 0, 1],
      [1, 2, 3, 2],
    ]),
    scene: Object3D.fromPointCloud([[0, 0, 0]], [], [{ start: [0, 0, 0], end: [0, 0, 1] }]),
    loss: 0.25,
  });
}

/** Every object with a `path` and `sha256` in a history value (the media files it names). */
function namedFiles(
  value: unknown,
  out: Array<{ path: string; sha256: string; size: number }> = [],
): typeof out {
  if (Array.isArray(value)) for (const item of value) namedFiles(item, out);
  else if (typeof value === "object" && value !== null) {
    const object = value as Record<string, unknown>;
    if (typeof object["path"] === "string" && typeof object["sha256"] === "string")
      out.push({ path: object["path"], sha256: object["sha256"], size: object["size"] as number });
    for (const member of Object.values(object)) namedFiles(member, out);
  }
  return out;
}

async function checkOnServer(run: RunPath): Promise<void> {
  const [row] = await fetchHistory(server.url, run);
  expect(row).toBeDefined();
  const types = Object.fromEntries(
    Object.entries(row ?? {}).flatMap(([key, value]) =>
      typeof value === "object" && value !== null ? [[key, (value as { _type: string })._type]] : [],
    ),
  );
  expect(types).toEqual({
    image: "image-file",
    grid: "images/separated",
    audio: "audio-file",
    video: "video-file",
    page: "html-file",
    molecule: "molecule-file",
    cloud: "object3D-file",
    scene: "object3D-file",
  });
  expect(row?.["loss"]).toBe(0.25);
  const files = namedFiles(row);
  expect(files.length).toBe(9); // image, mask, boxes, audio, video, html, molecule, 2 × 3D (the grid names paths only)
  for (const file of files) {
    expect(file.path).toMatch(
      new RegExp(`^media/[a-zA-Z0-9/]+/[a-z]+_0_${file.sha256.slice(0, 20)}\\.[a-zA-Z0-9.]+$`),
    );
    const bytes = await serverFileBytes(server.url, run, file.path);
    expect(createHash("sha256").update(bytes).digest("hex"), file.path).toBe(file.sha256);
    expect(bytes.length).toBe(file.size);
  }
  const grid = row?.["grid"] as { filenames: string[]; captions: unknown[]; count: number };
  expect(grid).toMatchObject({ count: 2, width: 2, height: 2, format: "png" });
  expect(grid).not.toHaveProperty("captions"); // W&B: only when the first image has a caption
  for (const path of grid.filenames)
    expect(decode(await serverFileBytes(server.url, run, path)).data).toHaveLength(4);
  const image = row?.["image"] as {
    path: string;
    masks: { gt: { path: string } };
    boxes: { det: { path: string } };
  };
  const png = decode(await serverFileBytes(server.url, run, image.path));
  expect([...png.data]).toEqual([...PIXELS]);
  expect([...decode(await serverFileBytes(server.url, run, image.masks.gt.path)).data]).toEqual(MASK.flat());
  const boxes = JSON.parse(
    (await serverFileBytes(server.url, run, image.boxes.det.path)).toString(),
  ) as unknown;
  expect(boxes).toEqual({
    box_data: [
      { position: { minX: 0, maxX: 3, minY: 0, maxY: 2 }, class_id: 1, domain: "pixel", scores: { p: 0.9 } },
    ],
    class_labels: { 1: "class_1" },
  });
}

describe("media on the server", () => {
  it("an online run's media files arrive with the sha256 and path its history rows name", async () => {
    const root = tempDir();
    const run = await init({ dir: root, project: "media", baseUrl: server.url, settings: { silent: true } });
    logEveryType(run, root);
    await run.finish();
    await checkOnServer({ entity: run.entity, project: run.project, id: run.id });
  });

  it("an offline run's media files arrive at sync", async () => {
    const root = tempDir();
    const run = await init({ dir: root, project: "media", mode: "offline", settings: { silent: true } });
    logEveryType(run, root);
    await run.finish();
    const result = await syncRunDirectory(run.dir, { baseUrl: server.url });
    expect(result.status, result.message ?? "").toBe("synced");
    expect(result.files?.failed).toBe(0);
    await checkOnServer({ entity: run.entity, project: run.project, id: run.id });
  });
});
