/** The bytes of one logged file (logged-value.ts FileContent); runs in the media worker. */
import { readFileSync } from "node:fs";
import type { FileContent } from "../logged-value.js";
import { encodeGif } from "./encode-gif.js";
import { encodePng } from "./encode-png.js";
import { encodeVideo } from "./encode-video.js";
import { encodeWav } from "./encode-wav.js";
import { encodePoints } from "./encode-points.js";

export function encodeFileContent(content: FileContent): Uint8Array {
  switch (content.kind) {
    case "bytes":
      return content.bytes;
    case "copy":
      return readFileSync(content.local);
    case "png":
      return encodePng(content);
    case "wav":
      return encodeWav(content.samples, content.sampleRate, content.channels);
    case "points":
      return encodePoints(content.columns, content.values, content.scene);
    case "video":
      return content.format === "gif" ? encodeGif(content) : encodeVideo(content, content.format);
    case "filled-json":
      throw new Error("filled-json content is written by the media queue, after the files it names");
  }
}
