/**
 * `Image`: W&B's `wandb.Image` (reference §8.1). The source is read, checked and copied when the
 * image is logged (log() or summary), so errors name the key; encoding to PNG happens off the
 * training thread. History JSON, as W&B writes it:
 * `{"_type":"image-file","sha256","size","path":"media/images/<key>_<step>_<sha20>.png","format",
 * "width","height","caption"?,"grouping"?,"masks"?:{name:{"_type":"mask",…}},"boxes"?:{name:{"_type":"boxes2D",…}}}`;
 * a list of images is one `images/separated` value (at most 108 per list).
 */
import { InvalidDataError } from "@stepwise/protocol";
import { prepareBoxes, type BoxSetInput } from "./image-boxes.js";
import { classLabelsConfig, prepareMasks, type MaskInput } from "./image-masks.js";
import { imageFile, type ImageMode, type ImageSource } from "./image-source.js";
import { isShapedSource } from "./array-input.js";
import {
  fileFields,
  filePath,
  TO_LOGGED,
  TO_LOGGED_LIST,
  type ConfigEntry,
  type Loggable,
  type LogContext,
  type LoggedFile,
  type LoggedValue,
} from "./logged-value.js";
import { checkCaption, checkListLength } from "./media-options.js";

/** W&B's limit of images in one list ("Only 108 Image will be uploaded"); here an error. */
export const MAX_IMAGES_PER_LIST = 108;

export interface ImageOptions {
  caption?: string;
  /** L, RGB or RGBA; must agree with the data's channels (taken from them when left out). */
  mode?: ImageMode;
  /** Segmentation masks `{ name: { maskData: [h][w] class ids, classLabels? } }`. */
  masks?: Record<string, MaskInput>;
  /** Bounding boxes `{ name: { boxData: [...], classLabels? } }`. */
  boxes?: Record<string, BoxSetInput>;
  /** W&B's `classes` (used by tables and artifacts); accepted and not written for a run. */
  classes?: unknown;
  /** An integer W&B's UI groups images by. */
  grouping?: number;
  /**
   * sdk.md's "png" | "jpg" | "bmp" for pixel data; only "png" (the default) is encoded: no JPEG
   * or BMP encoder is bundled, so "jpg"/"bmp" are refused with how to log one (a file or encoded
   * bytes keep their own type).
   */
  fileType?: "png" | "jpg" | "bmp";
  /** Scale float data to 0–255 as W&B does (default true); false: plain cast to uint8. */
  normalize?: boolean;
}

interface PreparedImage {
  files: LoggedFile[];
  json: Record<string, unknown>;
  masks: Record<string, unknown> | null;
  boxes: Record<string, unknown> | null;
  config: ConfigEntry[];
  warnings: string[];
  width: number;
  height: number;
  format: string;
}

export class Image implements Loggable {
  readonly source: ImageSource;
  readonly options: ImageOptions;

  /** `source` may be another Image: its data and caption, without its masks and boxes (as W&B). */
  constructor(source: ImageSource | Image, options: ImageOptions = {}) {
    if (source instanceof Image) {
      const { masks: _masks, boxes: _boxes, ...rest } = source.options;
      options = { ...rest, ...options };
      source = source.source;
    }
    this.source = source;
    this.options = options;
    checkCaption(options.caption, "Image");
    if (options.grouping !== undefined && !Number.isInteger(options.grouping))
      throw new InvalidDataError(
        `Image: grouping must be an integer, got ${JSON.stringify(options.grouping)}`,
      );
    const fileType: unknown = options.fileType;
    if (fileType !== undefined && fileType !== "png" && fileType !== "jpg" && fileType !== "bmp")
      throw new InvalidDataError(
        `Image: fileType must be "png", "jpg" or "bmp" (got ${JSON.stringify(fileType)}); pixel data is stored as PNG`,
      );
    // A path or encoded bytes keep their own type; only pixel data would need an encoder.
    const encoded = typeof source === "string" || (source instanceof Uint8Array && !isShapedSource(source));
    if ((fileType === "jpg" || fileType === "bmp") && !encoded) {
      const name = fileType === "jpg" ? "JPEG" : "BMP";
      throw new InvalidDataError(
        `Image: fileType "${fileType}" cannot be encoded from pixel data (no ${name} encoder is bundled; pixels are stored as lossless PNG); to log a ${name}, log the .${fileType} file or its encoded bytes, or leave fileType out`,
      );
    }
  }

  get caption(): string | undefined {
    return this.options.caption;
  }

  [TO_LOGGED](ctx: LogContext): LoggedValue {
    const image = this.prepare(0, `${ctx.context}: Image at ${ctx.key}`);
    // prepare() starts the JSON with `_type` (W&B's order); masks and boxes follow the fields.
    const json = image.json;
    if (image.masks !== null) json["masks"] = image.masks;
    if (image.boxes !== null) json["boxes"] = image.boxes;
    return { json: fileFields(0, json), files: image.files, config: image.config, warnings: image.warnings };
  }

  [TO_LOGGED_LIST](items: readonly Loggable[], ctx: LogContext): LoggedValue {
    checkListLength(items.length, MAX_IMAGES_PER_LIST, "images", ctx);
    const images = (items as Image[]).map((image, i) =>
      image.prepare(0, `${ctx.context}: image ${i} of the list at ${ctx.key}`),
    );
    const files: LoggedFile[] = [];
    const filenames: unknown[] = [];
    const config: ConfigEntry[] = [];
    const warnings: string[] = [];
    const allMasks: unknown[] = [];
    const allBoxes: unknown[] = [];
    for (const image of images) {
      const offset = files.length;
      filenames.push(filePath(offset));
      allMasks.push(shift(image.masks, offset));
      allBoxes.push(shift(image.boxes, offset));
      files.push(...image.files);
      config.push(...image.config);
      warnings.push(...image.warnings);
    }
    const first = images[0] as PreparedImage;
    const json: Record<string, unknown> = {
      _type: "images/separated",
      width: first.width,
      height: first.height,
      format: first.format,
      count: images.length,
      filenames,
    };
    const firstImage = items[0] as Image;
    if (firstImage.caption !== undefined)
      json["captions"] = (items as Image[]).map((image) => image.caption ?? null);
    if (allMasks.some((masks) => masks !== null)) json["all_masks"] = allMasks;
    if (allBoxes.some((boxes) => boxes !== null)) json["all_boxes"] = allBoxes;
    return { json, files, config, warnings };
  }

  private prepare(first: number, what: string): PreparedImage {
    const image = imageFile(this.source, this.options, what);
    const files: LoggedFile[] = [{ dir: "media/images", ext: `.${image.format}`, content: image.content }];
    const warnings = image.outOfRange
      ? [
          `${what}: values outside [0, 255] were clipped, as W&B does (scale the data to 0–255, or pass normalize: false to cast)`,
        ]
      : NONE;
    const json: Record<string, unknown> = {
      _type: "image-file",
      format: image.format,
      width: image.width,
      height: image.height,
    };
    if (this.options.caption !== undefined) json["caption"] = this.options.caption;
    if (this.options.grouping !== undefined) json["grouping"] = this.options.grouping;
    const { width, height, format } = image;
    if (this.options.masks !== undefined || this.options.boxes !== undefined)
      return this.withOverlays(first, what, { files, json, warnings, width, height, format });
    return { files, json, masks: null, boxes: null, config: NONE_CONFIG, warnings, width, height, format };
  }

  /** prepare() for an image with masks or boxes: their files, markers and class labels. */
  private withOverlays(
    first: number,
    what: string,
    image: Omit<PreparedImage, "masks" | "boxes" | "config">,
  ): PreparedImage {
    const files = image.files;
    const config: ConfigEntry[] = [];
    let masks: Record<string, unknown> | null = null;
    for (const mask of prepareMasks(this.options.masks, image.width, image.height, what)) {
      masks ??= {};
      masks[mask.name] = fileFields(first + files.length, { _type: "mask" });
      files.push(mask.file);
      config.push(classLabelsConfig("mask/class_labels", mask.name, mask.classLabels));
    }
    let boxes: Record<string, unknown> | null = null;
    for (const set of prepareBoxes(this.options.boxes, image.width, image.height, what)) {
      boxes ??= {};
      boxes[set.name] = fileFields(first + files.length, { _type: "boxes2D" });
      files.push(set.file);
      config.push(classLabelsConfig("bounding_box/class_labels", set.name, set.classLabels));
    }
    return { ...image, masks, boxes, config };
  }
}

/** No warnings, no config (shared, never changed: an image without them allocates no lists). */
const NONE: string[] = [];
const NONE_CONFIG: ConfigEntry[] = [];

/** The masks or boxes of one image of a list, their file indexes moved to where its files start. */
function shift(group: Record<string, unknown> | null, offset: number): Record<string, unknown> | null {
  if (group === null) return null;
  const out: Record<string, unknown> = {};
  for (const [name, marker] of Object.entries(group)) {
    const fields = marker as ReturnType<typeof fileFields>;
    out[name] = fileFields(fields.index + offset, fields.fields);
  }
  return out;
}
