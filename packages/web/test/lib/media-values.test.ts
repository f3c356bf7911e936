import { describe, expect, it } from "vitest";
import { mediaItemsOf, mediaKeysOf, valueKindOf } from "../../src/lib/media-values.js";

const image = {
  _type: "image-file",
  sha256: "ab",
  size: 10,
  path: "media/images/pred_3_0123456789abcdef0123.png",
  format: "png",
  width: 4,
  height: 2,
  caption: "a cat",
  masks: { gt: { _type: "mask", sha256: "cd", size: 5, path: "media/images/mask/pred_3_x.mask.png" } },
  boxes: {
    pred: { _type: "boxes2D", sha256: "ef", size: 7, path: "media/metadata/boxes2D/pred_3_y.boxes2D.json" },
  },
};

describe("mediaItemsOf", () => {
  it("reads a single image with its caption, size, masks and boxes", () => {
    expect(mediaItemsOf(image)).toEqual([
      {
        kind: "image",
        path: image.path,
        caption: "a cat",
        width: 4,
        height: 2,
        masks: { gt: "media/images/mask/pred_3_x.mask.png" },
        boxes: { pred: "media/metadata/boxes2D/pred_3_y.boxes2D.json" },
      },
    ]);
  });

  it("reads images/separated: filenames, captions aligned (empty ones dropped), per-image masks", () => {
    const items = mediaItemsOf({
      _type: "images/separated",
      width: 8,
      height: 8,
      format: "png",
      count: 2,
      filenames: ["media/images/a_1_x.png", "media/images/a_1_y.png"],
      captions: ["first", ""],
      all_masks: [null, { m: { _type: "mask", path: "media/images/mask/a_1_z.mask.png" } }],
    });
    expect(items).toEqual([
      { kind: "image", path: "media/images/a_1_x.png", caption: "first", width: 8, height: 8 },
      {
        kind: "image",
        path: "media/images/a_1_y.png",
        width: 8,
        height: 8,
        masks: { m: "media/images/mask/a_1_z.mask.png" },
      },
    ]);
  });

  it("reads lists of audio, videos and html from their nested file values", () => {
    const clip = (n: number) => ({
      _type: "audio-file",
      path: `media/audio/s_0_${n}.wav`,
      sha256: "x",
      size: 1,
    });
    expect(
      mediaItemsOf({ _type: "audio", count: 2, audio: [clip(1), clip(2)], captions: ["one", ""] }),
    ).toEqual([
      { kind: "audio", path: "media/audio/s_0_1.wav", caption: "one" },
      { kind: "audio", path: "media/audio/s_0_2.wav" },
    ]);
    expect(
      mediaItemsOf({
        _type: "videos",
        count: 1,
        videos: [{ _type: "video-file", path: "media/videos/v.mp4" }],
        captions: false,
      }),
    ).toEqual([{ kind: "video", path: "media/videos/v.mp4" }]);
    expect(
      mediaItemsOf({ _type: "html", count: 1, html: [{ _type: "html-file", path: "media/html/h.html" }] }),
    ).toEqual([{ kind: "html", path: "media/html/h.html" }]);
  });

  it("puts object3D list filenames (relative to media/object3D) under their folder", () => {
    expect(mediaItemsOf({ _type: "object3D", count: 1, filenames: ["p_0_x.pts.json"] })).toEqual([
      { kind: "object3d", path: "media/object3D/p_0_x.pts.json" },
    ]);
  });

  it("gives nothing for values that are no media", () => {
    for (const value of [1, "x", null, [1], { _type: "histogram", values: [1], bins: [0, 1] }, { a: 1 }])
      expect(mediaItemsOf(value)).toEqual([]);
  });
});

describe("valueKindOf", () => {
  it("names media kinds and JSON kinds", () => {
    expect(valueKindOf(image)).toBe("image");
    expect(valueKindOf(0.5)).toBe("number");
    expect(valueKindOf("s")).toBe("string");
    expect(valueKindOf({ _type: "histogram" })).toBe("histogram");
    expect(valueKindOf(null)).toBe("none");
  });
});

describe("mediaKeysOf", () => {
  it("finds media values in summaries, nested ones by dotted path, each key once", () => {
    const keys = mediaKeysOf([
      { loss: 1, examples: image, "val/audio": { _type: "audio-file", path: "a.wav" }, _wandb: { x: image } },
      { eval: { "samples.v1": { _type: "video-file", path: "v.gif" } }, examples: image },
    ]);
    expect([...keys]).toEqual([
      ["examples", "image"],
      ["val/audio", "audio"],
      ["eval.samples\\.v1", "video"],
    ]);
  });
});
