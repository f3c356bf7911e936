/**
 * The media items read from W&B's history JSON (reference § 8), one case per value type, and the
 * kinds and panels of values (what the key kinds index records).
 */
import { describe, expect, test } from "vitest";
import { mediaEntries } from "../src/domain/media/media-entries.js";
import { isMixed, panelOf, valueKind } from "../src/domain/media/value-kind.js";

const sha = "a".repeat(64);

describe("mediaEntries", () => {
  test("image-file with caption, masks (class labels inline or not) and boxes", () => {
    const [item, ...rest] = mediaEntries({
      _type: "image-file",
      path: "media/images/pred_7_0123456789abcdef0123.png",
      sha256: sha,
      size: 321,
      format: "png",
      width: 32,
      height: 16,
      caption: "cat",
      grouping: 2,
      masks: {
        gt: { _type: "mask", path: "media/images/mask/pred_7_x.mask.png", sha256: sha, size: 5 },
        pred: {
          _type: "mask",
          path: "media/images/mask/pred_7_y.mask.png",
          sha256: sha,
          size: 5,
          class_labels: { "0": "bg", "1": "cat", "2": 3 },
        },
      },
      boxes: { predictions: { _type: "boxes2D", path: "media/metadata/boxes2D/pred_7_z.boxes2D.json" } },
    });
    expect(rest).toEqual([]);
    expect(item).toEqual({
      index: 0,
      type: "image",
      valueType: "image-file",
      path: "media/images/pred_7_0123456789abcdef0123.png",
      sha256: sha,
      size: 321,
      format: "png",
      width: 32,
      height: 16,
      caption: "cat",
      masks: [
        { name: "gt", path: "media/images/mask/pred_7_x.mask.png", sha256: sha, classLabels: null },
        {
          name: "pred",
          path: "media/images/mask/pred_7_y.mask.png",
          sha256: sha,
          classLabels: { "0": "bg", "1": "cat" },
        },
      ],
      boxes: [
        {
          name: "predictions",
          path: "media/metadata/boxes2D/pred_7_z.boxes2D.json",
          sha256: null,
          classLabels: null,
        },
      ],
      extra: { grouping: 2 },
    });
  });

  test("images/separated: one item per file, the list's size and format, captions aligned", () => {
    const items = mediaEntries({
      _type: "images/separated",
      width: 4,
      height: 2,
      format: "jpg",
      count: 3,
      filenames: ["media/images/a.jpg", "../escape.jpg", "media/images/c.jpg"],
      captions: ["one", "two"],
    });
    expect(items.map((i) => [i.index, i.path, i.caption, i.width, i.format])).toEqual([
      [0, "media/images/a.jpg", "one", 4, "jpg"],
      [2, "media/images/c.jpg", null, 4, "jpg"],
    ]);
  });

  test("audio, videos, html, molecule and object3D lists and single values", () => {
    const audio = mediaEntries({
      _type: "audio",
      audio: [{ _type: "audio-file", path: "media/audio/x.wav", sha256: sha, size: 1 }],
      sampleRates: [22050],
      durations: [0.5],
    });
    expect(audio.map((i) => [i.type, i.valueType, i.extra])).toEqual([
      ["audio", "audio", { sampleRate: 22050, duration: 0.5 }],
    ]);
    const videos = mediaEntries({
      _type: "videos",
      videos: [{ _type: "video-file", path: "media/videos/v.mp4", width: 64, height: 48 }],
      captions: false,
    });
    expect(videos.map((i) => [i.type, i.format, i.width, i.caption])).toEqual([["video", "mp4", 64, null]]);
    expect(
      mediaEntries({ _type: "html", html: [{ _type: "html-file", path: "media/html/h.html" }] })[0]?.type,
    ).toBe("html");
    expect(
      mediaEntries({ _type: "molecule", filenames: ["media/molecule/m.pdb"], captions: ["mol"] }).map((i) => [
        i.type,
        i.caption,
        i.format,
      ]),
    ).toEqual([["molecule", "mol", "pdb"]]);
    expect(mediaEntries({ _type: "object3D", filenames: ["p.pts.json"] })[0]?.path).toBe(
      "media/object3D/p.pts.json",
    );
    expect(mediaEntries({ _type: "object3D-file", path: "media/object3D/s.glb" })[0]?.format).toBe("glb");
  });

  test("a JSON array of single values gives one item each; non-media and broken values give none", () => {
    const items = mediaEntries([
      { _type: "image-file", path: "media/images/1.png" },
      3,
      { _type: "image-file", path: "media/images/3.png" },
    ]);
    expect(items.map((i) => [i.index, i.path])).toEqual([
      [0, "media/images/1.png"],
      [2, "media/images/3.png"],
    ]);
    for (const value of [
      { _type: "histogram", values: [1], bins: [0, 1] },
      { _type: "image-file" },
      { _type: "image-file", path: "/etc/passwd" },
      { _type: "image-file", path: 7 },
      "media/images/x.png",
      null,
    ])
      expect(mediaEntries(value)).toEqual([]);
  });
});

describe("value kinds", () => {
  test("kind and panel of each value; mixed when the panels differ", () => {
    expect([1, "s", true, [1], { _type: "images/separated" }, { a: 1 }, null].map(valueKind)).toEqual([
      "number",
      "string",
      "boolean",
      "array",
      "images/separated",
      "object",
      null,
    ]);
    expect(
      ["number", "image-file", "images/separated", "histogram", "table-file", "odd"].map(panelOf),
    ).toEqual(["chart", "image", "image", "histogram", "table", "other"]);
    expect(isMixed(["image-file", "images/separated"])).toBe(false);
    expect(isMixed(["number", "image-file"])).toBe(true);
    expect(isMixed(["string", "boolean"])).toBe(false);
  });
});
