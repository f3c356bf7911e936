/**
 * mp4 / webm / ogg from frames through a system `ffmpeg` (raw RGBA frames on its stdin, the file
 * written to a temp path); off the training thread. `ffmpegOnPath` is what log() checks first,
 * so a missing ffmpeg is an InvalidDataError at the call, not a lost video later.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { rgbaFrame, type FramesInput } from "./encode-gif.js";

const CODEC: Record<string, string[]> = {
  mp4: ["-c:v", "libx264", "-pix_fmt", "yuv420p", "-movflags", "+faststart"],
  webm: ["-c:v", "libvpx-vp9", "-pix_fmt", "yuv420p"],
  ogg: ["-c:v", "libtheora", "-pix_fmt", "yuv420p"],
};

const ffmpegFound = new Map<string, boolean>();

/** Whether `ffmpeg -version` runs (checked once per PATH). */
export function ffmpegOnPath(): boolean {
  const path = process.env["PATH"] ?? "";
  let found = ffmpegFound.get(path);
  if (found === undefined) {
    found = spawnSync("ffmpeg", ["-version"], { stdio: "ignore" }).status === 0;
    ffmpegFound.set(path, found);
  }
  return found;
}

/**
 * Longest an ffmpeg run may take before it is killed (a stuck encoder must not hold the media
 * thread, and with it every later file): 15 s, plus 0.1 s per megapixel of frames.
 */
export function ffmpegTimeoutMs(input: FramesInput): number {
  return 15_000 + Math.ceil((input.frames * input.width * input.height) / 10_000);
}

export function encodeVideo(input: FramesInput, format: "mp4" | "webm" | "ogg"): Uint8Array {
  const dir = mkdtempSync(join(tmpdir(), "stepwise-video-"));
  try {
    const file = join(dir, `video.${format}`);
    const frames = Array.from({ length: input.frames }, (_, t) => rgbaFrame(input, t));
    // yuv420p needs even sides: pad by one pixel where a side is odd.
    const args = ["-hide_banner", "-loglevel", "error", "-f", "rawvideo", "-pix_fmt", "rgba"];
    args.push("-s", `${input.width}x${input.height}`, "-r", String(input.fps), "-i", "pipe:0");
    args.push("-vf", "pad=ceil(iw/2)*2:ceil(ih/2)*2", ...(CODEC[format] ?? []), "-y", file);
    const timeout = ffmpegTimeoutMs(input);
    const result = spawnSync("ffmpeg", args, {
      input: Buffer.concat(frames),
      maxBuffer: 1 << 20,
      timeout,
      killSignal: "SIGKILL",
    });
    if (result.signal !== null || (result.error as NodeJS.ErrnoException | undefined)?.code === "ETIMEDOUT")
      throw new Error(
        `ffmpeg did not finish ${format} within ${Math.round(timeout / 1000)} s and was killed`,
      );
    if (result.status !== 0)
      throw new Error(
        `ffmpeg could not encode ${format}: ${String(result.stderr ?? result.error)
          .trim()
          .slice(0, 300)}`,
      );
    return readFileSync(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
