/**
 * `Object3D`: W&B's `wandb.Object3D` (reference §8.7). From an obj/gltf/glb/babylon/stl/pts.json
 * file (copied at log()), a point cloud `[n][3|4|6]`, or a scene `{ type: "lidar/beta", points,
 * boxes?, vectors? }` (object3d-scene.ts). History JSON:
 * `{"_type":"object3D-file","sha256","size","path":"media/object3D/<key>_<step>_<sha20>.pts.json","caption"?}`;
 * a list is `{"_type":"object3D","filenames":[paths within media/object3D],"count","objects":[…]}`.
 */
import { InvalidDataError } from "@stepwise/protocol";
import { isShapedSource, type ShapedSource } from "./array-input.js";
import { checkTypedMediaFile, stageCopy } from "./media-file.js";
import { checkCaption } from "./media-options.js";
import { pointsContent, type LidarScene } from "./object3d-scene.js";
import {
  fileFields,
  filePath,
  TO_LOGGED,
  TO_LOGGED_LIST,
  type Loggable,
  type LogContext,
  type LoggedFile,
  type LoggedValue,
} from "./logged-value.js";

export const OBJECT3D_FILE_TYPES = ["obj", "gltf", "glb", "babylon", "stl", "pts.json"] as const;

export type Object3DFileType = (typeof OBJECT3D_FILE_TYPES)[number];

export interface Object3DOptions {
  caption?: string;
  /** The type of a file path without an extension (one with an extension keeps its own). */
  fileType?: Object3DFileType;
}

export class Object3D implements Loggable {
  constructor(
    readonly source: string | ShapedSource | LidarScene,
    readonly options: Object3DOptions = {},
  ) {
    checkCaption(options.caption, "Object3D");
    if (options.fileType !== undefined && !OBJECT3D_FILE_TYPES.includes(options.fileType))
      throw new InvalidDataError(
        `Object3D: fileType must be one of ${OBJECT3D_FILE_TYPES.join(", ")}, got ${JSON.stringify(options.fileType)}`,
      );
    if (isScene(source) && source.type !== "lidar/beta")
      throw new InvalidDataError(
        `Object3D: type ${JSON.stringify(source.type)} is not supported; only "lidar/beta" scenes are`,
      );
  }

  /** A point cloud with boxes and vectors: W&B's `Object3D.from_point_cloud`. */
  static fromPointCloud(
    points: ShapedSource,
    boxes: LidarScene["boxes"] = [],
    vectors: LidarScene["vectors"] = [],
    options: Object3DOptions = {},
  ): Object3D {
    return new Object3D({ type: "lidar/beta", points, boxes, vectors }, options);
  }

  [TO_LOGGED](ctx: LogContext): LoggedValue {
    return {
      json: fileFields(0, this.fields()),
      files: [this.prepare(`${ctx.context}: Object3D at ${ctx.key}`)],
    };
  }

  [TO_LOGGED_LIST](items: readonly Loggable[], ctx: LogContext): LoggedValue {
    const objects = items as Object3D[];
    return {
      json: {
        _type: "object3D",
        filenames: objects.map((_, i) => filePath(i, "media/object3D/")),
        count: objects.length,
        objects: objects.map((object, i) => fileFields(i, object.fields())),
      },
      files: objects.map((object, i) =>
        object.prepare(`${ctx.context}: Object3D ${i} of the list at ${ctx.key}`),
      ),
    };
  }

  private fields(): Record<string, unknown> {
    const caption = this.options.caption;
    return { _type: "object3D-file", ...(caption === undefined ? {} : { caption }) };
  }

  private prepare(what: string): LoggedFile {
    const source = this.source;
    if (typeof source === "string") {
      const ext = checkTypedMediaFile(source, what, OBJECT3D_FILE_TYPES, this.options.fileType);
      return { dir: "media/object3D", ext: `.${ext}`, content: { kind: "copy", local: stageCopy(source) } };
    }
    if (isScene(source))
      return { dir: "media/object3D", ext: ".pts.json", content: pointsContent(source.points, source, what) };
    if (isShapedSource(source))
      return { dir: "media/object3D", ext: ".pts.json", content: pointsContent(source, null, what) };
    throw new InvalidDataError(
      `${what}: give a 3-D file path, a point cloud [n][3|4|6] or a { type: "lidar/beta", points } scene`,
    );
  }
}

function isScene(source: unknown): source is LidarScene {
  return typeof source === "object" && source !== null && !Array.isArray(source) && "type" in source;
}
