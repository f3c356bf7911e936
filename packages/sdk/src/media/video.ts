/**
 * `Video`: W&B's `wandb.Video` (reference §8.3). From a gif/mp4/webm/ogg file (copied at log();
 * `fps` ignored) or from frames (video-frames.ts) with `fps` (default 4): GIF encoded in
 * JavaScript off the thread by default; mp4/webm/ogg through a system `ffmpeg`, checked at log()
 * so that its absence is an error at the call. History JSON:
 * `{"_type":"video-file","sha256","size","path":"media/videos/<key>_<step>_<sha20>.<fmt>","width"?,"height"?,"caption"?}`;
 * a list is `{"_type":"videos","count","videos":[…],"captions":[…]|false}`.
 */
import { InvalidDataError } from "@stepwise/protocol";
import { readArray, type ShapedSource } from "./array-input.js";
import { ffmpegOnPath } from "./encode/encode-video.js";
import { checkMediaFile, stageCopy } from "./media-file.js";
import { checkCaption, listCaptions } from "./media-options.js";
import {
  fileFields,
  TO_LOGGED,
  TO_LOGGED_LIST,
  type Loggable,
  type LogContext,
  type LoggedFile,
  type LoggedValue,
} from "./logged-value.js";
import { framesOf } from "./video-frames.js";

export const VIDEO_FORMATS = ["gif", "mp4", "webm", "ogg"] as const;
export type VideoFormat = (typeof VIDEO_FORMATS)[number];

export interface VideoOptions {
  /** Frames per second for frame data (default 4). */
  fps?: number;
  /** For frame data: gif (default, no dependency) or mp4/webm/ogg (needs ffmpeg on PATH). */
  format?: VideoFormat;
  caption?: string;
}

interface PreparedVideo {
  file: LoggedFile;
  size: Record<string, number>;
}

export class Video implements Loggable {
  constructor(
    readonly source: string | ShapedSource,
    readonly options: VideoOptions = {},
  ) {
    checkCaption(options.caption, "Video");
    const fps = options.fps;
    if (fps !== undefined && !(typeof fps === "number" && fps > 0 && fps <= 1000))
      throw new InvalidDataError(`Video: fps must be a number above 0 (at most 1000), got ${String(fps)}`);
    if (options.format !== undefined && !VIDEO_FORMATS.includes(options.format))
      throw new InvalidDataError(
        `Video: format must be one of ${VIDEO_FORMATS.join(", ")}, got ${JSON.stringify(options.format)}`,
      );
  }

  [TO_LOGGED](ctx: LogContext): LoggedValue {
    const video = this.prepare(`${ctx.context}: Video at ${ctx.key}`);
    return {
      json: fileFields(0, { _type: "video-file", ...video.size, ...captionOf(this.options.caption) }),
      files: [video.file],
    };
  }

  [TO_LOGGED_LIST](items: readonly Loggable[], ctx: LogContext): LoggedValue {
    const videos = items as Video[];
    const prepared = videos.map((video, i) =>
      video.prepare(`${ctx.context}: video ${i} of the list at ${ctx.key}`),
    );
    return {
      json: {
        _type: "videos",
        count: videos.length,
        videos: prepared.map((video, i) =>
          fileFields(i, { _type: "video-file", ...video.size, ...captionOf(videos[i]?.options.caption) }),
        ),
        captions: listCaptions(videos.map((video) => video.options.caption)) ?? false,
      },
      files: prepared.map((video) => video.file),
    };
  }

  private prepare(what: string): PreparedVideo {
    if (typeof this.source === "string") {
      const ext = checkMediaFile(this.source, what, VIDEO_FORMATS);
      return {
        file: {
          dir: "media/videos",
          ext: `.${ext}`,
          content: { kind: "copy", local: stageCopy(this.source) },
        },
        size: {},
      };
    }
    const format = this.options.format ?? "gif";
    if (format !== "gif" && !ffmpegOnPath())
      throw new InvalidDataError(
        `${what}: format "${format}" from frames needs ffmpeg on PATH (install it, e.g. apt-get install ffmpeg), or log format "gif", which needs nothing`,
      );
    const frames = framesOf(readArray(this.source, what), what);
    return {
      file: {
        dir: "media/videos",
        ext: `.${format}`,
        content: { kind: "video", format, fps: this.options.fps ?? 4, ...frames },
      },
      size: { width: frames.width, height: frames.height },
    };
  }
}

function captionOf(caption: string | undefined): Record<string, unknown> {
  return caption === undefined ? {} : { caption };
}
