import { describe, expect, it } from "vitest";
import { parseBoxes, scoreRanges, visibleBoxes } from "../../src/lib/media-boxes.js";
import { blendMask, classColor, configClassLabels, maskClasses } from "../../src/lib/media-masks.js";
import { parsePointCloud } from "../../src/lib/point-cloud.js";

describe("parseBoxes", () => {
  it("turns relative and pixel positions, minMax and middle forms, into pixel rectangles", () => {
    const set = parseBoxes(
      {
        box_data: [
          { position: { minX: 0.1, maxX: 0.5, minY: 0.2, maxY: 0.6 }, class_id: 1, scores: { acc: 0.9 } },
          {
            position: { middle: [50, 40], width: 20, height: 10 },
            domain: "pixel",
            class_id: 2,
            box_caption: "dog",
          },
        ],
        class_labels: { 1: "cat" },
      },
      100,
      50,
    );
    expect(set.boxes.map((b) => [b.x, b.y, b.width, b.height, b.label])).toEqual([
      [10, 10, 40, 20, "cat"],
      [40, 35, 20, 10, "class_2"],
    ]);
    expect(set.boxes[1]?.caption).toBe("dog");
    expect(set.classLabels).toEqual({ 1: "cat", 2: "class_2" });
  });

  it("filters by hidden class and by least score; a box without the score stays", () => {
    const { boxes } = parseBoxes(
      {
        box_data: [
          { position: { minX: 0, maxX: 1, minY: 0, maxY: 1 }, class_id: 0, scores: { conf: 0.2 } },
          { position: { minX: 0, maxX: 1, minY: 0, maxY: 1 }, class_id: 0, scores: { conf: 0.8 } },
          { position: { minX: 0, maxX: 1, minY: 0, maxY: 1 }, class_id: 1 },
        ],
      },
      10,
      10,
    );
    expect(scoreRanges(boxes).get("conf")).toEqual({ min: 0.2, max: 0.8 });
    expect(visibleBoxes(boxes, { hiddenClasses: new Set(), minScores: { conf: 0.5 } })).toHaveLength(2);
    expect(visibleBoxes(boxes, { hiddenClasses: new Set([1]), minScores: { conf: 0.5 } })).toHaveLength(1);
  });
});

describe("masks", () => {
  it("blends shown classes at the opacity and leaves hidden ones alone", () => {
    const image = new Uint8ClampedArray([100, 100, 100, 255, 100, 100, 100, 255]);
    const mask = new Uint8ClampedArray([1, 1, 1, 255, 2, 2, 2, 255]);
    expect(maskClasses(mask)).toEqual([1, 2]);
    blendMask(image, mask, new Set([2]), 1);
    expect([...image.slice(0, 3)]).toEqual([...classColor(1)]);
    expect([...image.slice(4, 7)]).toEqual([100, 100, 100]);
  });

  it("reads class labels from the run config where W&B keeps them", () => {
    const config = {
      _wandb: { "mask/class_labels": { k_wandb_delimeter_gt: { key: "k", value: { 0: "bg", 1: "cat" } } } },
    };
    expect(configClassLabels(config, "mask", "k", "gt")).toEqual({ 0: "bg", 1: "cat" });
    expect(configClassLabels({}, "mask", "k", "gt")).toEqual({});
  });
});

describe("parsePointCloud", () => {
  it("reads n×3, n×4 (category) and n×6 (rgb) rows", () => {
    const cloud = parsePointCloud([
      [1, 2, 3],
      [0, 0, 0, 2],
      [0, 0, 0, 255, 0, 0],
    ]);
    expect([...cloud.positions.slice(0, 3)]).toEqual([1, 2, 3]);
    expect([...cloud.colors.slice(6, 9)]).toEqual([1, 0, 0]);
    expect(cloud.colors[4]).toBeCloseTo(0.71);
    expect([cloud.shown, cloud.total]).toEqual([3, 3]);
  });

  it("thins a cloud over the limit evenly and says how many are shown", () => {
    const rows = Array.from({ length: 250 }, (_, i) => [i, 0, 0]);
    const cloud = parsePointCloud(rows, 100);
    expect([cloud.shown, cloud.total]).toEqual([84, 250]);
    expect(cloud.positions[3]).toBe(3);
  });

  it("reads a lidar/beta scene's points, boxes and vectors", () => {
    const corners = Array.from({ length: 8 }, (_, i) => [i, i, i]);
    const cloud = parsePointCloud({
      type: "lidar/beta",
      points: [[1, 1, 1]],
      boxes: [
        { corners, label: "car", color: [255, 0, 0] },
        { corners: [[0, 0, 0]], label: "bad" },
      ],
      vectors: [{ start: [0, 0, 0], end: [1, 1, 1] }],
    });
    expect(cloud.total).toBe(1);
    expect(cloud.boxes.map((b) => [b.label, b.color])).toEqual([["car", [1, 0, 0]]]);
    expect(cloud.vectors).toHaveLength(1);
  });
});
