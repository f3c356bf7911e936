/**
 * The media e2e project: runs `alpha` and `beta` whose history holds W&B-shaped media values
 * (images with a mask and boxes, audio, a WebM video, HTML that probes its sandbox, a point
 * cloud, a molecule) and whose files are uploaded, so that a spec knows every logged pixel.
 * Beta logs a number under its image key at its last step (a changed type).
 */
import type { Page } from "playwright-core";
import {
  fileJson,
  ingestRun,
  mediaFile,
  png,
  uploadFile,
  wav,
  type MediaFile,
  type Rgb,
  type SeedTarget,
} from "./media-seed.js";

export const PROJECT = "media-e2e";
const W = 8;
const H = 6;
/** Each run's image colour at each step: run → step → colour. */
export const COLORS: Record<string, Record<number, Rgb>> = {
  alpha: { 0: [200, 0, 0], 10: [0, 200, 0], 20: [0, 0, 200] },
  beta: { 0: [200, 200, 0], 10: [0, 200, 200] },
};
/** The top-left pixel of every image is white, so orientation is checked too. */
const imageOf = (color: Rgb) => png(W, H, (x, y) => (x === 0 && y === 0 ? [255, 255, 255] : color));
export const GREY: Rgb = [128, 128, 128];
export const POINTS = 250_000;
export const BOX_A = { minX: 1, maxX: 3, minY: 1, maxY: 3 };
export const BOX_B = { minX: 5, maxX: 7, minY: 1, maxY: 5 };
export const SECRET = "app-secret-123";

const PDB = `HETATM    1  O   HOH A   1       0.000   0.000   0.000  1.00  0.00           O
HETATM    2  H1  HOH A   1       0.957   0.000   0.000  1.00  0.00           H
HETATM    3  H2  HOH A   1      -0.240   0.927   0.000  1.00  0.00           H
END
`;

/** An HTML report whose script tries to reach the app: cookies, storage, the parent, the API. */
const PROBE = `<html><body><p id="out">probing</p><script>
(async () => {
  const r = {};
  const grab = async (name, f) => { try { r[name] = String(await f()); } catch (e) { r[name] = "blocked: " + e.name; } };
  await grab("cookie", () => document.cookie);
  await grab("localStorage", () => localStorage.getItem("stepwise.apiKey"));
  await grab("parent", () => parent.document.cookie);
  await grab("origin", () => self.origin);
  await grab("get", async () => (await fetch("/api/v1/entities")).status);
  await grab("post", async () => (await fetch("/api/v1/runs/local/${PROJECT}/alpha", { method: "PATCH", headers: { "content-type": "application/json" }, body: '{"name":"pwned"}' })).status);
  document.body.dataset.result = JSON.stringify(r);
  document.getElementById("out").textContent = "done";
})();
</script></body></html>`;

/** Logs the runs `alpha` and `beta` with their media files; `browser` records the video. */
export async function logMediaProject(
  target: SeedTarget,
  browser: { newPage(): Promise<Page> },
): Promise<void> {
  const videoBytes = await recordWebm(browser);
  const upload = async (runId: string, files: MediaFile[]) => {
    for (const f of files) await uploadFile(target, PROJECT, runId, f);
  };
  for (const runId of ["alpha", "beta"]) {
    const rows: Record<string, unknown>[] = [];
    const files: MediaFile[] = [];
    for (const [step, color] of Object.entries(COLORS[runId] ?? {})) {
      const file = mediaFile("media/images", "val/preds", step, ".png", imageOf(color), "image/png");
      files.push(file);
      const value: Record<string, unknown> = fileJson("image-file", file, {
        format: "png",
        width: W,
        height: H,
        caption: `${runId} @ ${step}`,
      });
      if (runId === "alpha" && step === "20") {
        // Mask gt: left half class 0, right half class 1.
        const mask = mediaFile(
          "media/images/mask",
          "val/preds",
          step,
          ".mask.png",
          png(W, H, (x) => (x < W / 2 ? 0 : 1)),
          "image/png",
        );
        files.push(mask);
        value["masks"] = { gt: fileJson("mask", mask) };
      }
      // A second image key in the same section ("val"), for the synced sliders.
      const truth = mediaFile("media/images", "val/truth", step, ".png", imageOf(color), "image/png");
      files.push(truth);
      rows.push({
        _step: Number(step),
        "val/preds": value,
        "val/truth": fileJson("image-file", truth, { format: "png", width: W, height: H }),
        "val/loss": 1 / (Number(step) + 1),
        epoch: Number(step) / 10,
      });
    }
    if (runId === "beta") rows.push({ _step: 30, "val/preds": 0.5, "val/loss": 0.1, epoch: 3 });
    if (runId === "alpha") {
      const boxesJson = {
        box_data: [
          {
            position: BOX_A,
            domain: "pixel",
            class_id: 0,
            scores: { conf: 0.9 },
          },
          { position: BOX_B, domain: "pixel", class_id: 1, scores: { conf: 0.3 }, box_caption: "b" },
        ],
        class_labels: { 0: "cat", 1: "dog" },
      };
      const boxFile = mediaFile(
        "media/metadata/boxes2D",
        "boxes",
        0,
        ".boxes2D.json",
        new Uint8Array(Buffer.from(JSON.stringify(boxesJson))),
        "application/json",
      );
      const boxImage = mediaFile(
        "media/images",
        "boxes",
        0,
        ".png",
        png(W, H, () => GREY),
        "image/png",
      );
      const audio = mediaFile("media/audio", "sound", 0, ".wav", wav(2, 8000, 440), "audio/wav");
      const video = mediaFile("media/videos", "clip", 0, ".webm", videoBytes, "video/webm");
      const html = mediaFile(
        "media/html",
        "report",
        0,
        ".html",
        new Uint8Array(Buffer.from(PROBE)),
        "text/html",
      );
      const points = Array.from({ length: POINTS }, (_, i) => [
        Math.cos(i) * (i % 100),
        Math.sin(i) * (i % 100),
        (i % 37) - 18,
      ]);
      const cloud = mediaFile(
        "media/object3D",
        "cloud",
        0,
        ".pts.json",
        new Uint8Array(Buffer.from(JSON.stringify(points))),
        "application/json",
      );
      const molecule = mediaFile(
        "media/molecule",
        "mol",
        0,
        ".pdb",
        new Uint8Array(Buffer.from(PDB)),
        "chemical/x-pdb",
      );
      files.push(boxFile, boxImage, audio, video, html, cloud, molecule);
      rows.push({
        _step: 40,
        boxes: fileJson("image-file", boxImage, {
          format: "png",
          width: W,
          height: H,
          boxes: { pred: fileJson("boxes2D", boxFile) },
        }),
        sound: fileJson("audio-file", audio, { caption: "440 Hz" }),
        clip: fileJson("video-file", video),
        report: fileJson("html-file", html),
        cloud: fileJson("object3D-file", cloud),
        mol: fileJson("molecule-file", molecule),
      });
    }
    const config = {
      _wandb: {
        "mask/class_labels": {
          "val/preds_wandb_delimeter_gt": {
            type: "mask/class_labels",
            key: "val/preds",
            value: { 0: "background", 1: "cat" },
          },
        },
      },
    };
    await ingestRun(target, PROJECT, runId, rows, config);
    await upload(runId, files);
  }
}

/** A 2-second VP8 WebM recorded from a canvas in Chromium (no ffmpeg needed). */
async function recordWebm(browser: { newPage(): Promise<Page> }): Promise<Uint8Array<ArrayBuffer>> {
  const page = await browser.newPage();
  const base64 = await page.evaluate(async () => {
    const canvas = document.createElement("canvas");
    canvas.width = 64;
    canvas.height = 48;
    const ctx = canvas.getContext("2d");
    if (ctx === null) throw new Error("no 2d");
    const recorder = new MediaRecorder(canvas.captureStream(25), { mimeType: "video/webm;codecs=vp8" });
    const chunks: Blob[] = [];
    recorder.ondataavailable = (e) => chunks.push(e.data);
    const done = new Promise((resolve) => (recorder.onstop = resolve));
    recorder.start();
    const t0 = performance.now();
    while (performance.now() - t0 < 2000) {
      ctx.fillStyle = `hsl(${(performance.now() - t0) / 5}, 80%, 50%)`;
      ctx.fillRect(0, 0, 64, 48);
      await new Promise((r) => setTimeout(r, 40));
    }
    recorder.stop();
    await done;
    const bytes = new Uint8Array(await new Blob(chunks).arrayBuffer());
    let text = "";
    for (const b of bytes) text += String.fromCharCode(b);
    return btoa(text);
  });
  await page.close();
  return new Uint8Array(Buffer.from(base64, "base64"));
}
