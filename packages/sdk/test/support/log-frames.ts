/** Lists the frames of an intact run log, so tests can damage one frame of a chosen kind. */
import { readFileSync } from "node:fs";

export type FrameKind = "key" | "row" | "key-table" | "json-history" | "json";

export interface LogFrame {
  offset: number;
  /** Bytes of the whole frame, header included. */
  bytes: number;
  kind: FrameKind;
  /** For JSON records, the record's `t`. */
  t?: string;
}

export function listFrames(file: string): LogFrame[] {
  const bytes = readFileSync(file);
  const frames: LogFrame[] = [];
  for (let at = 16; at + 12 <= bytes.length;) {
    const length = bytes.readUInt32LE(at + 8);
    const first = bytes[at + 12];
    const size = 12 + length;
    if (first === 1) frames.push({ offset: at, bytes: size, kind: "key" });
    else if (first === 2) frames.push({ offset: at, bytes: size, kind: "row" });
    else if (first === 3) frames.push({ offset: at, bytes: size, kind: "key-table" });
    else {
      const t = (
        JSON.parse(bytes.toString("utf8", at + 12, at + size).replace(/\bNaN\b|-?Infinity\b/g, "0")) as {
          t: string;
        }
      ).t;
      frames.push({ offset: at, bytes: size, kind: t === "history" ? "json-history" : "json", t });
    }
    at += size;
  }
  return frames;
}

/** Flips one bit of the file at `offset`. */
export function flipBit(file: string, offset: number, bit = 0): Buffer {
  const bytes = readFileSync(file);
  bytes[offset] = (bytes[offset] as number) ^ (1 << bit);
  return bytes;
}
