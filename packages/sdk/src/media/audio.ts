/**
 * `Audio`: W&B's `wandb.Audio` (reference §8.2). From a file (any audio type, copied at log())
 * or raw samples with `sampleRate` (a 1-D array, or `[n][channels]` / `{ data, shape: [n, c] }`),
 * written off the thread as 16-bit PCM WAV. History JSON:
 * `{"_type":"audio-file","sha256","size","path":"media/audio/<key>_<step>_<sha20>.wav","caption"?}`;
 * a list (at most 100 clips) is `{"_type":"audio","count","audio":[…],"sampleRates","durations","captions"?}`.
 */
import { InvalidDataError } from "@stepwise/protocol";
import { isShapedSource, readArray, type ShapedSource } from "./array-input.js";
import { checkMediaFile, stageCopy } from "./media-file.js";
import { checkCaption, checkListLength, listCaptions } from "./media-options.js";
import {
  fileFields,
  TO_LOGGED,
  TO_LOGGED_LIST,
  type Loggable,
  type LogContext,
  type LoggedFile,
  type LoggedValue,
} from "./logged-value.js";

export const MAX_AUDIO_PER_LIST = 100;
export const AUDIO_FILE_TYPES = ["wav", "mp3", "ogg", "oga", "flac", "m4a", "aac", "opus", "webm"] as const;

export interface AudioOptions {
  /** Samples per second: required for raw samples. */
  sampleRate?: number;
  caption?: string;
}

interface PreparedAudio {
  file: LoggedFile;
  sampleRate: number | null;
  duration: number | null;
}

export class Audio implements Loggable {
  constructor(
    /** A file path, samples (number[] or a typed array), `[n][channels]` or `{ data, shape }`. */
    readonly source: string | ShapedSource | Float32Array | Float64Array | Int16Array,
    readonly options: AudioOptions = {},
  ) {
    checkCaption(options.caption, "Audio");
    const rate = options.sampleRate;
    if (rate !== undefined && !(Number.isInteger(rate) && rate > 0 && rate <= 1_000_000))
      throw new InvalidDataError(
        `Audio: sampleRate must be a positive integer (samples per second), got ${String(rate)}`,
      );
    if (typeof source !== "string" && rate === undefined)
      throw new InvalidDataError(
        'Audio: argument "sampleRate" is required for raw samples, e.g. new Audio(samples, { sampleRate: 16000 })',
      );
  }

  [TO_LOGGED](ctx: LogContext): LoggedValue {
    const audio = this.prepare(`${ctx.context}: Audio at ${ctx.key}`);
    return {
      json: fileFields(0, { _type: "audio-file", ...captionOf(this.options.caption) }),
      files: [audio.file],
    };
  }

  [TO_LOGGED_LIST](items: readonly Loggable[], ctx: LogContext): LoggedValue {
    checkListLength(items.length, MAX_AUDIO_PER_LIST, "audio clips", ctx);
    const clips = items as Audio[];
    const prepared = clips.map((clip, i) =>
      clip.prepare(`${ctx.context}: audio clip ${i} of the list at ${ctx.key}`),
    );
    const json: Record<string, unknown> = {
      _type: "audio",
      count: clips.length,
      audio: clips.map((clip, i) =>
        fileFields(i, { _type: "audio-file", ...captionOf(clip.options.caption) }),
      ),
      sampleRates: prepared.map((clip) => clip.sampleRate),
      durations: prepared.map((clip) => clip.duration),
    };
    const captions = listCaptions(clips.map((clip) => clip.options.caption));
    if (captions !== null) json["captions"] = captions;
    return { json, files: prepared.map((clip) => clip.file) };
  }

  private prepare(what: string): PreparedAudio {
    if (typeof this.source === "string") {
      const ext = checkMediaFile(this.source, what, AUDIO_FILE_TYPES);
      return {
        file: {
          dir: "media/audio",
          ext: `.${ext}`,
          content: { kind: "copy", local: stageCopy(this.source) },
        },
        sampleRate: null,
        duration: null,
      };
    }
    if (!isShapedSource(this.source) && !ArrayBuffer.isView(this.source))
      throw new InvalidDataError(
        `${what}: give a file path or samples (an array, a typed array or { data, shape: [n, channels] })`,
      );
    const source = ArrayBuffer.isView(this.source)
      ? {
          data: this.source as unknown as ArrayLike<number>,
          shape: [(this.source as unknown as ArrayLike<number>).length],
        }
      : this.source;
    const array = readArray(source, what);
    if (array.shape.length > 2 || (array.shape.length === 2 && (array.shape[1] ?? 0) > 8))
      throw new InvalidDataError(
        `${what}: samples must be 1-D, or [n][channels] with at most 8 channels; got shape [${array.shape.join(", ")}]`,
      );
    const channels = array.shape.length === 2 ? (array.shape[1] as number) : 1;
    const sampleRate = this.options.sampleRate as number;
    // 16-bit PCM integers are samples of ±32768, as soundfile reads them.
    const pcm = this.source instanceof Int16Array ? 1 / 32768 : 1;
    const samples =
      array.values instanceof Float32Array && pcm === 1
        ? array.values
        : Float32Array.from(array.values, (x) => x * pcm);
    return {
      file: { dir: "media/audio", ext: ".wav", content: { kind: "wav", sampleRate, channels, samples } },
      sampleRate,
      duration: (array.shape[0] ?? 0) / sampleRate,
    };
  }
}

function captionOf(caption: string | undefined): Record<string, unknown> {
  return caption === undefined ? {} : { caption };
}
