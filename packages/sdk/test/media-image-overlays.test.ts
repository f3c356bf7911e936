/**
 * Masks and boxes of an Image and lists of images (reference §8.1): the mask PNG holds the
 * logged class ids, boxes in both coordinate systems are written in W&B's file shape with default
 * class labels, pixel boxes outside the image and masks of another size are refused, and the
 * JSON of an image with both and of an `images/separated` list is W&B's.
 */
import { decode } from "fast-png";
import { describe, expect, it } from "vitest";
import { Image } from "../src/index.js";
import { materialize, sha256 } from "./support/media-values.js";

const pixels = { data: new Uint8Array(4 * 3 * 3).fill(100), shape: [4, 3, 3] };

function fileAt(value: ReturnType<typeof materialize>, path: unknown): Buffer {
  const bytes = value.files.get(String(path));
  if (bytes === undefined) throw new Error(`no file ${String(path)}`);
  return bytes;
}

describe("masks", () => {
  it("writes each mask as an 8-bit grey PNG of the class ids, with default labels class_<id> in the run config", () => {
    const maskData = [
      [0, 1, 1],
      [0, 1, 2],
      [0, 0, 0],
      [2, 2, 2],
    ];
    const value = materialize(
      new Image(pixels, {
        masks: { gt: { maskData }, pred: { maskData, classLabels: { 0: "bg", 1: "cat", 2: "dog" } } },
      }),
      "seg",
      3,
    );
    const masks = value.json["masks"] as Record<string, Record<string, unknown>>;
    const gt = masks["gt"] as Record<string, unknown>;
    const bytes = fileAt(value, gt["path"]);
    expect(gt).toEqual({
      _type: "mask",
      sha256: sha256(bytes),
      size: bytes.length,
      path: `media/images/mask/seg_3_${sha256(bytes).slice(0, 20)}.mask.png`,
    });
    const png = decode(bytes);
    expect({ width: png.width, height: png.height, channels: png.channels, depth: png.depth }).toEqual({
      width: 3,
      height: 4,
      channels: 1,
      depth: 8,
    });
    expect([...png.data]).toEqual(maskData.flat());
    const config = (value.logged.config ?? []).map((entry) => ({
      path: entry.path("seg"),
      value: entry.valueFor?.("seg") ?? entry.value,
    }));
    expect(config).toEqual([
      {
        path: ["_wandb", "mask/class_labels", "seg_wandb_delimeter_gt"],
        value: {
          type: "mask/class_labels",
          key: "seg_wandb_delimeter_gt",
          value: { 0: "class_0", 1: "class_1", 2: "class_2" },
        },
      },
      {
        path: ["_wandb", "mask/class_labels", "seg_wandb_delimeter_pred"],
        value: {
          type: "mask/class_labels",
          key: "seg_wandb_delimeter_pred",
          value: { 0: "bg", 1: "cat", 2: "dog" },
        },
      },
    ]);
  });

  it("refuses a mask whose size differs from the image, values outside 0–255 and non-integers, naming key and mask", () => {
    const wrong = new Image(pixels, {
      masks: {
        gt: {
          maskData: [
            [0, 1],
            [1, 0],
          ],
        },
      },
    });
    expect(() => materialize(wrong, "seg")).toThrow(
      /key "seg": mask "gt" is 2×2 but the image is 3×4.*one class id per pixel/,
    );
    const big = new Image(pixels, {
      masks: { gt: { maskData: { data: new Float32Array(12).fill(256), shape: [4, 3] } } },
    });
    expect(() => materialize(big, "seg")).toThrow(
      /mask "gt": value 0 is 256; mask values are integer class ids from 0 to 255/,
    );
    const frac = new Image(pixels, {
      masks: { gt: { maskData: { data: new Float32Array(12).fill(0.5), shape: [4, 3] } } },
    });
    expect(() => materialize(frac, "seg")).toThrow(/value 0 is 0.5/);
  });
});

describe("boxes", () => {
  it("writes both coordinate systems in W&B's snake_case file shape, class labels defaulting to class_<id>", () => {
    const value = materialize(
      new Image(pixels, {
        boxes: {
          pred: {
            boxData: [
              {
                position: { minX: 0.1, maxX: 0.5, minY: 0.2, maxY: 0.9 },
                classId: 2,
                boxCaption: "dog 0.8",
                scores: { conf: 0.8 },
              },
              { position: { middle: [1.5, 2], width: 1, height: 2 }, domain: "pixel", classId: 0 },
            ],
          },
        },
      }),
      "det",
      9,
    );
    const boxes = (value.json["boxes"] as Record<string, Record<string, unknown>>)["pred"] as Record<
      string,
      unknown
    >;
    const bytes = fileAt(value, boxes["path"]);
    expect(boxes).toEqual({
      _type: "boxes2D",
      sha256: sha256(bytes),
      size: bytes.length,
      path: `media/metadata/boxes2D/det_9_${sha256(bytes).slice(0, 20)}.boxes2D.json`,
    });
    expect(JSON.parse(bytes.toString("utf8"))).toEqual({
      box_data: [
        {
          position: { minX: 0.1, maxX: 0.5, minY: 0.2, maxY: 0.9 },
          class_id: 2,
          box_caption: "dog 0.8",
          scores: { conf: 0.8 },
        },
        { position: { middle: [1.5, 2], width: 1, height: 2 }, class_id: 0, domain: "pixel" },
      ],
      class_labels: { 0: "class_0", 2: "class_2" },
    });
    expect(value.logged.config?.[0]?.valueFor?.("det")).toEqual({
      type: "bounding_box/class_labels",
      key: "det_wandb_delimeter_pred",
      value: { 0: "class_0", 2: "class_2" },
    });
  });

  it("accepts W&B's snake_case input and refuses pixel boxes outside the image and malformed boxes", () => {
    const snake = new Image(pixels, {
      boxes: {
        gt: {
          box_data: [{ position: { minX: 0, maxX: 3, minY: 0, maxY: 4 }, domain: "pixel", class_id: 1 }],
          class_labels: { 1: "car" },
        },
      },
    });
    expect(JSON.parse([...materialize(snake).files.values()][1]?.toString() ?? "")).toMatchObject({
      class_labels: { 1: "car" },
    });
    const outside = new Image(pixels, {
      boxes: {
        gt: {
          boxData: [{ position: { middle: [2.5, 1], width: 2, height: 1 }, domain: "pixel", classId: 1 }],
        },
      },
    });
    expect(() => materialize(outside, "det")).toThrow(
      /key "det": boxes "gt", box 0: the box \(1.5, 0.5\)–\(3.5, 1.5\) lies outside the 3×4 image/,
    );
    const noPosition = new Image(pixels, { boxes: { gt: { boxData: [{ classId: 1 } as never] } } });
    expect(() => materialize(noPosition)).toThrow(
      /each box needs a position \{ minX, maxX, minY, maxY \} or \{ middle: \[x, y\], width, height \}/,
    );
    const badClass = new Image(pixels, {
      boxes: { gt: { boxData: [{ position: { minX: 0, maxX: 1, minY: 0, maxY: 1 }, classId: 1.5 }] } },
    });
    expect(() => materialize(badClass)).toThrow(/classId must be an integer/);
    const badScore = new Image(pixels, {
      boxes: {
        gt: {
          boxData: [{ position: { minX: 0, maxX: 1, minY: 0, maxY: 1 }, classId: 1, scores: { p: NaN } }],
        },
      },
    });
    expect(() => materialize(badScore)).toThrow(/score "p" must be a finite number/);
  });
});

describe("lists of images", () => {
  it("are one images/separated value: first image's size and format, captions when the first has one, all_masks/all_boxes aligned", () => {
    const mask = { maskData: { data: new Uint8Array(12), shape: [4, 3] } };
    const images = [
      new Image(pixels, { caption: "a", masks: { gt: mask } }),
      new Image([[0, 255]]),
      new Image(pixels, {
        caption: "c",
        boxes: { p: { boxData: [{ position: { minX: 0, maxX: 1, minY: 0, maxY: 1 }, classId: 0 }] } },
      }),
    ];
    const value = materialize(images, "samples", 5);
    expect(value.logged.files).toHaveLength(5); // 3 images, 1 mask, 1 box set
    const json = value.json as {
      filenames: string[];
      all_masks: Array<{ gt: { path: string } } | null>;
      all_boxes: Array<{ p: { path: string } } | null>;
    };
    const [first, second, third] = json.filenames as [string, string, string];
    const mask0 = json.all_masks[0]?.gt.path ?? "";
    const box2 = json.all_boxes[2]?.p.path ?? "";
    const filesJson = (path: string, type: string): Record<string, unknown> => {
      const bytes = fileAt(value, path);
      return { _type: type, sha256: sha256(bytes), size: bytes.length, path };
    };
    expect(value.json).toEqual({
      _type: "images/separated",
      width: 3,
      height: 4,
      format: "png",
      count: 3,
      filenames: [first, second, third],
      captions: ["a", null, "c"],
      all_masks: [{ gt: filesJson(mask0, "mask") }, null, null],
      all_boxes: [null, null, { p: filesJson(box2, "boxes2D") }],
    });
    expect(first).toMatch(/^media\/images\/samples_5_[0-9a-f]{20}\.png$/);
    expect(decode(fileAt(value, second)).width).toBe(2);
    expect(first).toBe(third); // same pixels, same content-addressed file
    expect(mask0).toMatch(/^media\/images\/mask\/samples_5_/);
    expect(box2).toMatch(/^media\/metadata\/boxes2D\/samples_5_/);
  });

  it("refuses more than 108 images in one list", () => {
    const many = Array.from({ length: 109 }, () => new Image([[0]]));
    expect(() => materialize(many, "grid")).toThrow(
      /list at key "grid" holds 109 images; at most 108 per list and step/,
    );
    expect(materialize(many.slice(0, 108), "grid").json["count"]).toBe(108);
  });
});
