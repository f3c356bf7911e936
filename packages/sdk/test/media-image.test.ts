/**
 * Image conversions (reference §8.1): shapes and modes, W&B's float scaling, encoded bytes and
 * files, masks, both box coordinate systems with default class labels, and the exact JSON of an
 * image and of a list. PNGs are decoded with fast-png's decoder and compared with the logged values.
 */
import { copyFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { decode, encode } from "fast-png";
import { describe, expect, it } from "vitest";
import { InvalidDataError } from "@stepwise/protocol";
import { Image } from "../src/index.js";
import { materialize, onlyFile, sha256 } from "./support/media-values.js";
import { useTempDirs } from "./support/temp-dir.js";

const tempDir = useTempDirs();

function pixelsOf(bytes: Uint8Array): { width: number; height: number; channels: number; data: number[] } {
  const png = decode(bytes);
  return { width: png.width, height: png.height, channels: png.channels, data: [...png.data] };
}

describe("Image from arrays", () => {
  it("[h][w] is L, [h][w][3] RGB, [h][w][4] RGBA, [h][w][1] L; width and height from the shape", () => {
    const gray = materialize(
      new Image([
        [0, 10, 20],
        [30, 40, 50],
      ]),
    );
    expect(gray.json).toMatchObject({ _type: "image-file", format: "png", width: 3, height: 2 });
    expect(pixelsOf(onlyFile(gray))).toEqual({
      width: 3,
      height: 2,
      channels: 1,
      data: [0, 10, 20, 30, 40, 50],
    });
    const rgb = materialize(
      new Image([
        [
          [255, 0, 0],
          [0, 255, 0],
        ],
      ]),
    );
    expect(pixelsOf(onlyFile(rgb))).toEqual({
      width: 2,
      height: 1,
      channels: 3,
      data: [255, 0, 0, 0, 255, 0],
    });
    const rgba = materialize(new Image([[[1, 2, 3, 4]], [[5, 6, 7, 8]]]));
    expect(pixelsOf(onlyFile(rgba))).toMatchObject({
      width: 1,
      height: 2,
      channels: 4,
      data: [1, 2, 3, 4, 5, 6, 7, 8],
    });
    const single = materialize(new Image([[[7], [9]]]));
    expect(pixelsOf(onlyFile(single))).toMatchObject({ channels: 1, data: [7, 9] });
  });

  it("takes { data, shape } and tensor-likes, drops leading dimensions of size 1, and copies the data at log()", () => {
    const data = new Uint8Array([10, 20, 30, 40, 50, 60]);
    const image = new Image({ data, shape: [1, 2, 1, 3] });
    const logged = materialize(image);
    data.fill(0); // the caller reuses its buffer right after log()
    expect(pixelsOf(onlyFile(logged))).toMatchObject({
      width: 1,
      height: 2,
      channels: 3,
      data: [10, 20, 30, 40, 50, 60],
    });
    const tensor = { shape: [2, 2], dataSync: () => new Float32Array([0, 0.5, 1, 0.25]) };
    expect(pixelsOf(onlyFile(materialize(new Image(tensor)))).data).toEqual([0, 127, 255, 63]);
  });

  it("scales floats as W&B does: [0,1] ×255, [−1,1] 255·(x+1)/2, else clipped; uint8 0/1 → 0/255; normalize: false casts", () => {
    const unit = materialize(new Image({ data: new Float64Array([0, 0.5, 0.999, 1]), shape: [2, 2] }));
    expect(pixelsOf(onlyFile(unit)).data).toEqual([0, 127, 254, 255]);
    const signed = materialize(new Image({ data: [-1, -0.5, 0, 1], shape: [2, 2] }));
    expect(pixelsOf(onlyFile(signed)).data).toEqual([0, 63, 127, 255]);
    const clipped = materialize(new Image({ data: [-5, 2.7, 254.9, 300], shape: [2, 2] }));
    expect(pixelsOf(onlyFile(clipped)).data).toEqual([0, 2, 254, 255]);
    const mask = materialize(new Image({ data: new Uint8Array([0, 1, 1, 0]), shape: [2, 2] }));
    expect(pixelsOf(onlyFile(mask)).data).toEqual([0, 255, 255, 0]);
    const uint8 = materialize(new Image({ data: new Uint8Array([0, 1, 2, 200]), shape: [2, 2] }));
    expect(pixelsOf(onlyFile(uint8)).data).toEqual([0, 1, 2, 200]);
    const cast = materialize(new Image({ data: [0.9, 1.5, 257, 300], shape: [2, 2] }, { normalize: false }));
    expect(pixelsOf(onlyFile(cast)).data).toEqual([0, 1, 1, 44]);
  });

  it("warns once W&B's way when values outside [0, 255] are clipped, and not for data in range", () => {
    const clipped = materialize(new Image([[-5, 300]]), "x");
    expect(clipped.logged.warnings).toEqual([
      expect.stringMatching(/Image at key "x": values outside \[0, 255\] were clipped/),
    ]);
    expect(materialize(new Image([[0, 255]])).logged.warnings).toEqual([]);
  });

  it("copies another Image's data and caption, not its masks and boxes (as W&B)", () => {
    const original = new Image([[0, 255]], { caption: "a", masks: { m: { maskData: [[0, 1]] } } });
    const copy = materialize(new Image(original, { grouping: 2 }));
    expect(copy.json).toMatchObject({ caption: "a", grouping: 2, width: 2, height: 1 });
    expect(copy.json).not.toHaveProperty("masks");
    expect(copy.files.size).toBe(1);
  });

  it("refuses wrong shapes, NaN pixels, a mode that disagrees with the channels, naming the key and the fix", () => {
    const refuse = (image: Image, pattern: RegExp): void => {
      expect(() => materialize(image, "samples")).toThrow(InvalidDataError);
      expect(() => materialize(image, "samples")).toThrow(pattern);
    };
    refuse(
      new Image({ data: new Float32Array(8), shape: [2, 2, 2] }),
      /key "samples".*last dimension must be 1 \(L\), 3 \(RGB\) or 4/,
    );
    refuse(
      new Image({ data: new Float32Array(24), shape: [3, 2, 2, 2] }),
      /un-supported shape \[3, 2, 2, 2\]/,
    );
    refuse(new Image([[0, 1], [2]]), /key "samples".*every row must have the same length/);
    refuse(new Image([[0, NaN]]), /key "samples": value 1 is NaN.*replace NaN/);
    refuse(
      new Image({ data: new Float32Array(5), shape: [2, 3] }),
      /shape \[2, 3\] needs 6 values, data has 5/,
    );
    refuse(new Image([[[1, 2, 3]]], { mode: "RGBA" }), /mode "RGBA" needs 4 channels, the data has 3/);
    refuse(
      new Image(new Uint8Array([1, 2, 3, 4])),
      /not a PNG, JPEG, GIF, BMP or WebP file; raw pixels need a shape/,
    );
  });
});

describe("Image from encoded bytes and files", () => {
  const png = encode({ width: 3, height: 2, data: new Uint8Array(18).fill(9), channels: 3 });

  it("keeps encoded PNG bytes as they are, with format and size from the header", () => {
    const logged = materialize(new Image(png, { caption: "c" }), "pred", 7);
    expect(onlyFile(logged).equals(Buffer.from(png))).toBe(true);
    expect(logged.json).toEqual({
      _type: "image-file",
      sha256: sha256(png),
      size: png.length,
      path: `media/images/pred_7_${sha256(png).slice(0, 20)}.png`,
      format: "png",
      width: 3,
      height: 2,
      caption: "c",
    });
  });

  it("copies a file at log(): deleting or rewriting it afterwards changes nothing; jpg keeps its format", () => {
    const dir = tempDir();
    const path = join(dir, "plot.png");
    writeFileSync(path, png);
    const before = materialize(new Image(path), "plot", 1);
    writeFileSync(path, "changed");
    expect(onlyFile(before).equals(Buffer.from(png))).toBe(true);
    expect(before.json).toMatchObject({ format: "png", width: 3, height: 2 });
    const jpg = join(dir, "photo.jpg");
    copyFileSync(fileURLToPath(new URL("./fixtures/media/tiny.jpg", import.meta.url)), jpg);
    expect(materialize(new Image(jpg), "photo", 2).json).toMatchObject({
      format: "jpg",
      width: 4,
      height: 3,
    });
  });

  it("refuses a missing file, an unknown file type and a URL", () => {
    const dir = tempDir();
    expect(() => materialize(new Image(join(dir, "nope.png")), "x")).toThrow(
      /key "x": the file ".*nope.png" does not exist/,
    );
    writeFileSync(join(dir, "data.txt"), "x");
    expect(() => materialize(new Image(join(dir, "data.txt")), "x")).toThrow(
      /file type "txt"; accepted: png, jpg/,
    );
    expect(() => materialize(new Image("https://example.com/a.png"), "x")).toThrow(/is a URL/);
  });
});
