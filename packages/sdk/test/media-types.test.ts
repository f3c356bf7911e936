/**
 * Audio, Video, Html, Molecule and Object3D conversions (reference §8.2–8.7): the bytes written
 * (WAV samples, GIF frames, injected HTML, point-cloud rows, lidar scenes) against the values
 * logged, W&B's JSON for one value and for a list, and the errors for bad input.
 */
import { chmodSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Audio, Html, Molecule, Object3D, Video } from "../src/index.js";
import { readArray } from "../src/media/array-input.js";
import { framesOf } from "../src/media/video-frames.js";
import { materialize, onlyFile, sha256 } from "./support/media-values.js";
import { useTempDirs } from "./support/temp-dir.js";

const tempDir = useTempDirs();

function wav(bytes: Buffer): { channels: number; rate: number; bits: number; samples: number[] } {
  expect(bytes.toString("latin1", 0, 4)).toBe("RIFF");
  expect(bytes.toString("latin1", 8, 16)).toBe("WAVEfmt ");
  expect(bytes.readUInt16LE(20)).toBe(1); // PCM
  const dataBytes = bytes.readUInt32LE(40);
  expect(bytes.length).toBe(44 + dataBytes);
  const samples = Array.from({ length: dataBytes / 2 }, (_, i) => bytes.readInt16LE(44 + 2 * i));
  return {
    channels: bytes.readUInt16LE(22),
    rate: bytes.readUInt32LE(24),
    bits: bytes.readUInt16LE(34),
    samples,
  };
}

describe("Audio", () => {
  it("writes raw samples as 16-bit PCM WAV (clipped to ±1) and W&B's audio-file JSON", () => {
    const value = materialize(
      new Audio([0, 0.5, -0.5, 1, -1, 2], { sampleRate: 16000, caption: "beep" }),
      "speech",
      4,
    );
    const bytes = onlyFile(value);
    expect(wav(bytes)).toEqual({
      channels: 1,
      rate: 16000,
      bits: 16,
      samples: [0, 16384, -16384, 32767, -32768, 32767],
    });
    expect(value.json).toEqual({
      _type: "audio-file",
      sha256: sha256(bytes),
      size: bytes.length,
      path: `media/audio/speech_4_${sha256(bytes).slice(0, 20)}.wav`,
      caption: "beep",
    });
    const stereo = wav(
      onlyFile(
        materialize(
          new Audio({ data: new Float32Array([0.25, -0.25, 0, 1]), shape: [2, 2] }, { sampleRate: 8 }),
        ),
      ),
    );
    expect(stereo).toMatchObject({ channels: 2, samples: [8192, -8192, 0, 32767] });
  });

  it("a list is one audio value with sampleRates, durations and captions ('' for none)", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "a.mp3"), "ID3fake");
    const value = materialize(
      [
        new Audio(new Float32Array(8000), { sampleRate: 16000 }),
        new Audio(join(dir, "a.mp3"), { caption: "file" }),
      ],
      "clips",
      1,
    );
    const [first, second] = (value.json["audio"] as Array<Record<string, unknown>>) ?? [];
    expect(value.json).toMatchObject({
      _type: "audio",
      count: 2,
      sampleRates: [16000, null],
      durations: [0.5, null],
      captions: ["", "file"],
    });
    expect(first).toMatchObject({
      _type: "audio-file",
      path: expect.stringMatching(/^media\/audio\/clips_1_[0-9a-f]{20}\.wav$/) as unknown,
    });
    expect(second).toMatchObject({
      _type: "audio-file",
      caption: "file",
      sha256: sha256(Buffer.from("ID3fake")),
      path: expect.stringMatching(/\.mp3$/) as unknown,
    });
  });

  it("needs sampleRate for raw samples; refuses NaN samples and more than 100 clips", () => {
    expect(() => new Audio([0, 1])).toThrow(/"sampleRate" is required for raw samples/);
    expect(() => materialize(new Audio([0, NaN], { sampleRate: 8 }), "a")).toThrow(/key "a": value 1 is NaN/);
    const many = Array.from({ length: 101 }, () => new Audio([0], { sampleRate: 8 }));
    expect(() => materialize(many, "clips")).toThrow(/holds 101 audio clips; at most 100/);
  });
});

describe("Video", () => {
  it("frames [t][c][h][w] become a looping GIF of their size; batches are tiled into a grid as W&B does", () => {
    const frames = { data: new Uint8Array(2 * 3 * 4 * 5).map((_, i) => (i * 3) & 255), shape: [2, 3, 4, 5] };
    const value = materialize(new Video(frames, { fps: 2, caption: "v" }), "rollout", 8);
    const gif = onlyFile(value);
    expect(gif.toString("latin1", 0, 6)).toBe("GIF89a");
    expect([gif.readUInt16LE(6), gif.readUInt16LE(8)]).toEqual([5, 4]);
    expect(gif.includes(Buffer.from("NETSCAPE2.0"))).toBe(true); // loops
    expect(value.json).toEqual({
      _type: "video-file",
      sha256: sha256(gif),
      size: gif.length,
      path: `media/videos/rollout_8_${sha256(gif).slice(0, 20)}.gif`,
      width: 5,
      height: 4,
      caption: "v",
    });
    // 3 one-pixel grey videos → padded to 4 → a 2 × 2 grid; the 4th tile black.
    const tiled = framesOf(readArray({ data: [10, 20, 30], shape: [3, 1, 1, 1, 1] }, "v"), "v");
    expect(tiled).toMatchObject({ frames: 1, width: 2, height: 2, channels: 1 });
    expect([...tiled.pixels]).toEqual([10, 20, 30, 0]);
    // Values are cast to uint8 without scaling (numpy astype).
    expect([...framesOf(readArray({ data: [0.9, 257, 3.5], shape: [1, 1, 1, 3] }, "v"), "v").pixels]).toEqual(
      [0, 1, 3],
    );
  });

  it("files keep their type; a list is W&B's videos value; bad shapes and types are refused", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "clip.mp4"), "mp4 bytes");
    const list = materialize(
      [new Video(join(dir, "clip.mp4")), new Video(join(dir, "clip.mp4"), { caption: "c" })],
      "vids",
      2,
    );
    expect(list.json).toMatchObject({ _type: "videos", count: 2, captions: ["", "c"] });
    expect((list.json["videos"] as Array<{ path: string }>)[0]?.path).toMatch(
      /^media\/videos\/vids_2_[0-9a-f]{20}\.mp4$/,
    );
    expect(materialize([new Video(join(dir, "clip.mp4"))]).json["captions"]).toBe(false);
    writeFileSync(join(dir, "clip.avi"), "x");
    expect(() => materialize(new Video(join(dir, "clip.avi")), "v")).toThrow(
      /file type "avi"; accepted: gif, mp4, webm, ogg/,
    );
    expect(() => materialize(new Video({ data: [1, 2], shape: [2, 1] }), "v")).toThrow(
      /at least 4 dimensions: time, channels, height, width/,
    );
    expect(() => materialize(new Video({ data: new Uint8Array(4), shape: [1, 2, 1, 2] }), "v")).toThrow(
      /channels .* must be 1, 3 or 4, got 2/,
    );
  });

  it("mp4 from frames without ffmpeg on PATH is an error at log() that says how to fix it", () => {
    const path = process.env["PATH"];
    process.env["PATH"] = tempDir();
    try {
      const video = new Video({ data: new Uint8Array(3), shape: [1, 3, 1, 1] }, { format: "mp4" });
      expect(() => materialize(video, "v")).toThrow(
        /format "mp4" from frames needs ffmpeg on PATH.*or log format "gif"/,
      );
    } finally {
      process.env["PATH"] = path;
    }
  });
});

describe("Video through ffmpeg", () => {
  it("hands ffmpeg the frames as raw RGBA at their size and fps, and logs the file it writes", () => {
    // A stand-in ffmpeg on PATH (like the nvidia-smi stand-in of run-metadata.test.ts): it
    // answers -version, and otherwise writes its arguments and the stdin byte count to the
    // output file, its last argument.
    const bin = tempDir();
    const script = join(bin, "ffmpeg");
    writeFileSync(
      script,
      '#!/bin/sh\nif [ "$1" = "-version" ]; then exit 0; fi\nfor last; do :; done\nbytes=$(wc -c)\necho "$* stdin=$bytes" > "$last"\n',
    );
    chmodSync(script, 0o755);
    const path = process.env["PATH"];
    process.env["PATH"] = `${bin}:${path ?? ""}`;
    try {
      const frames = { data: new Uint8Array(3 * 3 * 4 * 5), shape: [3, 3, 4, 5] };
      const value = materialize(new Video(frames, { format: "webm", fps: 6 }), "clip", 1);
      const written = onlyFile(value).toString();
      expect(written).toMatch(
        /-f rawvideo -pix_fmt rgba -s 5x4 -r 6 -i pipe:0 .*libvpx-vp9 .*\.webm stdin=240\n$/,
      );
      expect(value.json).toMatchObject({
        _type: "video-file",
        width: 5,
        height: 4,
        path: expect.stringMatching(/^media\/videos\/clip_1_[0-9a-f]{20}\.webm$/) as unknown,
      });
    } finally {
      process.env["PATH"] = path;
    }
  });
});

describe("Html", () => {
  it("injects <base> and styles after <head>, in a new <head> after <html>, or in front; inject: false keeps the text", () => {
    const text = (html: Html): string => onlyFile(materialize(html)).toString("utf8");
    expect(text(new Html("<html><head><title>t</title></head><body>x</body></html>"))).toMatch(
      /^<html><head><base target="_blank"><style>.*<\/style><title>t<\/title>/,
    );
    expect(text(new Html("<html><body>x</body></html>"))).toMatch(
      /^<html><head><base target="_blank"><style>.*<\/style><\/head><body>x/,
    );
    expect(text(new Html("  <p>x</p>  "))).toMatch(/^<base target="_blank"><style>.*<\/style> {2}<p>x<\/p>$/); // stripped after, as W&B does
    expect(text(new Html("<p>x</p>", { inject: false }))).toBe("<p>x</p>");
    expect(text(new Html("<p>x</p>"))).not.toContain("http"); // nothing fetched from a third party
  });

  it("reads an .html path at log(); its JSON and a list's are W&B's", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "report.html"), "<b>r</b>");
    const value = materialize(new Html(join(dir, "report.html"), { inject: false }), "report", 0);
    const bytes = onlyFile(value);
    expect(bytes.toString()).toBe("<b>r</b>");
    expect(value.json).toEqual({
      _type: "html-file",
      sha256: sha256(bytes),
      size: 8,
      path: `media/html/report_0_${sha256(bytes).slice(0, 20)}.html`,
    });
    expect(materialize([new Html("<a>"), new Html("<b>")]).json).toMatchObject({
      _type: "html",
      count: 2,
      html: [{ _type: "html-file" }, { _type: "html-file" }],
    });
    expect(() => materialize(new Html(join(dir, "missing.html")), "r")).toThrow(/does not exist/);
  });
});

describe("Molecule", () => {
  const pdb = "ATOM      1  N   ALA A   1      11.104   6.134  -6.504  1.00  0.00           N\n";

  it("copies a file of a supported type, or writes content given with fileType; W&B's JSON and list", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "ala.pdb"), pdb);
    const value = materialize(new Molecule(join(dir, "ala.pdb"), { caption: "ala" }), "mol", 3);
    expect(value.json).toEqual({
      _type: "molecule-file",
      sha256: sha256(Buffer.from(pdb)),
      size: pdb.length,
      path: `media/molecule/mol_3_${sha256(Buffer.from(pdb)).slice(0, 20)}.pdb`,
      caption: "ala",
    });
    const content = materialize(new Molecule(pdb, { fileType: "pdb" }), "mol", 3);
    expect(content.json["path"]).toBe(value.json["path"]);
    const list = materialize(
      [new Molecule(pdb, { fileType: "pdb" }), new Molecule("x", { fileType: "sdf" })],
      "mols",
      1,
    );
    expect(list.json).toEqual({
      _type: "molecule",
      filenames: [
        expect.stringMatching(/^media\/molecule\/mols_1_.*\.pdb$/),
        expect.stringMatching(/\.sdf$/),
      ],
      count: 2,
      captions: false,
    });
  });

  it("refuses other file types and content without fileType", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "x.xyz"), "1\n");
    expect(() => materialize(new Molecule(join(dir, "x.xyz")), "m")).toThrow(
      /file type "xyz"; accepted: pdb, pqr, mmcif, mcif, cif, sdf, sd, gro, mol2, mmtf/,
    );
    expect(() => new Molecule(pdb, { fileType: "xyz" as never })).toThrow(/fileType must be one of/);
    expect(() => materialize(new Molecule(pdb), "m")).toThrow(/does not exist|file type/);
  });
});

describe("Object3D", () => {
  it("writes point clouds n×3, n×4 and n×6 as W&B's JSON list of rows", () => {
    const rows = (object: Object3D): unknown => JSON.parse(onlyFile(materialize(object)).toString());
    expect(
      rows(
        new Object3D([
          [0, 1, 2],
          [3.5, -4, 5],
        ]),
      ),
    ).toEqual([
      [0, 1, 2],
      [3.5, -4, 5],
    ]);
    expect(rows(new Object3D({ data: new Float32Array([0, 0, 0, 1, 1, 1, 1, 14]), shape: [2, 4] }))).toEqual([
      [0, 0, 0, 1],
      [1, 1, 1, 14],
    ]);
    expect(rows(new Object3D([[0, 0, 0, 255, 128, 0]]))).toEqual([[0, 0, 0, 255, 128, 0]]);
    const value = materialize(new Object3D([[1, 2, 3]], { caption: "pc" }), "cloud", 6);
    const bytes = onlyFile(value);
    expect(value.json).toEqual({
      _type: "object3D-file",
      sha256: sha256(bytes),
      size: bytes.length,
      path: `media/object3D/cloud_6_${sha256(bytes).slice(0, 20)}.pts.json`,
      caption: "pc",
    });
  });

  it("writes a lidar/beta scene with its boxes and vectors, and lists with filenames within media/object3D", () => {
    const corners = [
      [0, 0, 0],
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
      [1, 1, 0],
      [1, 0, 1],
      [0, 1, 1],
      [1, 1, 1],
    ];
    const scene = Object3D.fromPointCloud(
      [[0, 0, 0]],
      [{ corners, label: "car", color: [255, 0, 0], score: 0.9 }],
      [{ start: [0, 0, 0], end: [1, 1, 1] }],
    );
    expect(JSON.parse(onlyFile(materialize(scene)).toString())).toEqual({
      type: "lidar/beta",
      vectors: [{ start: [0, 0, 0], end: [1, 1, 1] }],
      points: [[0, 0, 0]],
      boxes: [{ corners, label: "car", color: [255, 0, 0], score: 0.9 }],
    });
    const list = materialize([new Object3D([[0, 0, 0]]), new Object3D([[1, 1, 1]])], "clouds", 2);
    const objects = list.json["objects"] as Array<{ path: string }>;
    expect(list.json).toMatchObject({ _type: "object3D", count: 2 });
    expect(list.json["filenames"]).toEqual(
      objects.map((object) => object.path.replace("media/object3D/", "")),
    );
    expect(list.json["filenames"]).toEqual([
      expect.stringMatching(/^clouds_2_[0-9a-f]{20}\.pts\.json$/),
      expect.stringMatching(/^clouds_2_/),
    ]);
  });

  it("refuses other shapes, categories outside 1–14, colours outside 0–255, other scene types and bad boxes", () => {
    expect(() => materialize(new Object3D([[0, 0]]), "pc")).toThrow(
      /key "pc": a point cloud is \[n\]\[3\] .* got shape \[1, 2\]/,
    );
    expect(() => materialize(new Object3D([[0, 0, 0, 15]]), "pc")).toThrow(
      /point 0 has category 15; categories are integers from 1 to 14/,
    );
    expect(() => materialize(new Object3D([[0, 0, 0, 0, 0, 300]]), "pc")).toThrow(
      /point 0 has colour value 300/,
    );
    expect(() => new Object3D({ type: "lidar/alpha", points: [] } as never)).toThrow(
      /only "lidar\/beta" scenes/,
    );
    const bad = Object3D.fromPointCloud(
      [[0, 0, 0]],
      [{ corners: [[0, 0, 0]], label: "x", color: [0, 0, 0] }],
    );
    expect(() => materialize(bad, "scene")).toThrow(/scene box 0: corners must be 8 points/);
    expect(() => materialize(new Object3D([[0, 0, Infinity]]), "pc")).toThrow(/value 2 is Infinity/);
  });
});
