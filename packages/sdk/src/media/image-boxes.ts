/**
 * Bounding boxes of an Image (W&B's BoundingBoxes2D, reference §8.1): `{ name: { boxData,
 * classLabels? } }`, each box `{ position: { minX, maxX, minY, maxY } | { middle: [x, y], width,
 * height }, domain?: "pixel", classId, boxCaption?, scores? }` (W&B's snake_case names are
 * accepted too). Coordinates are relative (0–1) unless `domain: "pixel"`; pixel boxes must lie
 * inside the image. Written in W&B's file shape `{"box_data":[…],"class_labels":{…}}` to
 * `media/metadata/boxes2D/<key>_<step>_<sha20>.boxes2D.json`; its JSON is
 * `{"_type":"boxes2D","sha256","size","path"}`; class labels (default `class_<id>` for each id
 * used) go once per run into `config._wandb["bounding_box/class_labels"]`.
 */
import { InvalidDataError } from "@stepwise/protocol";
import { checkClassLabels } from "./image-masks.js";
import type { LoggedFile } from "./logged-value.js";

export interface BoxInput {
  position:
    | { minX: number; maxX: number; minY: number; maxY: number }
    | { middle: [number, number]; width: number; height: number };
  domain?: "pixel";
  classId?: number;
  class_id?: number;
  boxCaption?: string;
  box_caption?: string;
  scores?: Record<string, number>;
}

export interface BoxSetInput {
  boxData?: BoxInput[];
  box_data?: BoxInput[];
  classLabels?: Record<number, string>;
  class_labels?: Record<number, string>;
}

export interface PreparedBoxes {
  name: string;
  file: LoggedFile;
  classLabels: Record<string, string>;
}

const POSITION_HELP =
  "each box needs a position { minX, maxX, minY, maxY } or { middle: [x, y], width, height } of finite numbers";

export function prepareBoxes(boxes: unknown, width: number, height: number, what: string): PreparedBoxes[] {
  if (boxes === undefined) return [];
  if (typeof boxes !== "object" || boxes === null || Array.isArray(boxes))
    throw new InvalidDataError(`${what}: boxes must be an object { name: { boxData: [...], classLabels } }`);
  return Object.entries(boxes as Record<string, unknown>).map(([name, set]) =>
    prepareBoxSet(name, set, width, height, `${what}: boxes "${name}"`),
  );
}

function prepareBoxSet(
  name: string,
  set: unknown,
  width: number,
  height: number,
  what: string,
): PreparedBoxes {
  const input = (typeof set === "object" && set !== null ? set : {}) as BoxSetInput;
  const data = input.boxData ?? input.box_data;
  if (!Array.isArray(data)) throw new InvalidDataError(`${what}: boxData must be a list of boxes`);
  const labels = checkClassLabels(input.classLabels ?? input.class_labels, what);
  const boxData = data.map((box, i) => checkBox(box, width, height, `${what}, box ${i}`));
  const ids = [...new Set(boxData.map((box) => box.class_id))].sort((a, b) => a - b);
  const classLabels = labels ?? Object.fromEntries(ids.map((id) => [String(id), `class_${id}`]));
  const text = JSON.stringify({ box_data: boxData, class_labels: classLabels });
  return {
    name,
    file: {
      dir: "media/metadata/boxes2D",
      ext: ".boxes2D.json",
      content: { kind: "bytes", bytes: Buffer.from(text, "utf8") },
    },
    classLabels,
  };
}

interface BoxOut {
  position: Record<string, unknown>;
  class_id: number;
  domain?: "pixel";
  box_caption?: string;
  scores?: Record<string, number>;
}

function checkBox(box: unknown, width: number, height: number, what: string): BoxOut {
  if (typeof box !== "object" || box === null) throw new InvalidDataError(`${what}: ${POSITION_HELP}`);
  const input = box as BoxInput & Record<string, unknown>;
  const { position, extent } = checkPosition(input.position, what);
  const classId = input.classId ?? input.class_id;
  if (!Number.isInteger(classId))
    throw new InvalidDataError(
      `${what}: classId must be an integer (the box's class), got ${JSON.stringify(classId)}`,
    );
  const out: BoxOut = { position, class_id: classId as number };
  if (input.domain !== undefined) {
    if (input.domain !== "pixel")
      throw new InvalidDataError(`${what}: domain must be "pixel" or left out (relative 0–1 coordinates)`);
    out.domain = "pixel";
    if (extent.minX < 0 || extent.minY < 0 || extent.maxX > width || extent.maxY > height)
      throw new InvalidDataError(
        `${what}: the box (${extent.minX}, ${extent.minY})–(${extent.maxX}, ${extent.maxY}) lies outside the ${width}×${height} image; ` +
          "pixel boxes must be within 0…width and 0…height (clip them, or leave domain out for relative coordinates)",
      );
  }
  const caption = input.boxCaption ?? input.box_caption;
  if (caption !== undefined) {
    if (typeof caption !== "string") throw new InvalidDataError(`${what}: boxCaption must be a string`);
    out.box_caption = caption;
  }
  if (input.scores !== undefined) out.scores = checkScores(input.scores, what);
  return out;
}

function checkPosition(
  position: unknown,
  what: string,
): { position: Record<string, unknown>; extent: { minX: number; maxX: number; minY: number; maxY: number } } {
  const p = (typeof position === "object" && position !== null ? position : {}) as Record<string, unknown>;
  const finite = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);
  if (Array.isArray(p["middle"])) {
    const [x, y] = p["middle"] as unknown[];
    const w = p["width"];
    const h = p["height"];
    if (
      !finite(x) ||
      !finite(y) ||
      !finite(w) ||
      !finite(h) ||
      (p["middle"] as unknown[]).length !== 2 ||
      w < 0 ||
      h < 0
    )
      throw new InvalidDataError(`${what}: ${POSITION_HELP} (width and height not negative)`);
    return {
      position: { middle: [x, y], width: w, height: h },
      extent: { minX: x - w / 2, maxX: x + w / 2, minY: y - h / 2, maxY: y + h / 2 },
    };
  }
  const { minX, maxX, minY, maxY } = p;
  if (!finite(minX) || !finite(maxX) || !finite(minY) || !finite(maxY))
    throw new InvalidDataError(`${what}: ${POSITION_HELP}`);
  if (minX > maxX || minY > maxY)
    throw new InvalidDataError(`${what}: minX must not exceed maxX nor minY maxY (swap them)`);
  return { position: { minX, maxX, minY, maxY }, extent: { minX, maxX, minY, maxY } };
}

function checkScores(scores: unknown, what: string): Record<string, number> {
  if (typeof scores !== "object" || scores === null || Array.isArray(scores))
    throw new InvalidDataError(`${what}: box scores must be an object { name: number }`);
  for (const [name, value] of Object.entries(scores))
    if (typeof value !== "number" || !Number.isFinite(value))
      throw new InvalidDataError(
        `${what}: score "${name}" must be a finite number, got ${JSON.stringify(value)}`,
      );
  return { ...(scores as Record<string, number>) };
}
