/**
 * Console capture (settings.consoleCapture, default on): whatever the process writes to stdout
 * and stderr also goes into the run log as `console` records, one line each with its time and
 * stream, W&B's output.log. The hook on `write` only keeps the chunk in a bounded buffer (over
 * it, chunks are counted and dropped, never waited for) and passes the call on unchanged; a
 * timer turns the buffer into lines every `flushMs`. A `\r` progress bar is one line: its state
 * is sent as it changes and each later state replaces it (`rewrite`), so the stored line is the
 * last frame. At most `maxBytes` of lines are kept per run; then one note says so, and at the
 * end a note gives the count of what was not kept.
 */
import { StringDecoder } from "node:string_decoder";
import {
  CONSOLE_LIMITS,
  formatConsoleLine,
  type ConsoleRecord,
  type ConsoleStream,
} from "@stepwise/protocol";
import { LineAssembler, type AssembledLine } from "./line-assembler.js";

export interface ConsoleCaptureOptions {
  /** Appends the record, given with its JSON (plain JSON: console records hold only text). */
  append: (record: ConsoleRecord, json: string) => void;
  /** Bytes of lines kept per run (default CONSOLE_LIMITS.runBytes). */
  maxBytes?: number;
  /** Bytes of chunks held between flushes before more are dropped (default 8 MiB). */
  maxPendingBytes?: number;
  flushMs?: number;
}

type Write = typeof process.stdout.write;

const RECORD_LINES = 1000;

interface StreamState {
  name: ConsoleStream;
  target: NodeJS.WriteStream;
  original: Write;
  hook: Write;
  decoder: StringDecoder;
  lines: LineAssembler;
}

export class ConsoleCapture {
  private readonly streams: StreamState[] = [];
  private pending: Array<{ stream: StreamState; chunk: string | Uint8Array; time: number }> = [];
  private pendingBytes = 0;
  private droppedBytes = 0;
  private overLimitBytes = 0;
  private keptBytes = 0;
  private full = false;
  /** The last line sent is a partial one (its stream's line being written): a later state rewrites it. */
  private partialOf: StreamState | null = null;
  private timer: NodeJS.Timeout | null = null;
  private readonly maxBytes: number;
  private readonly maxPending: number;

  constructor(private readonly options: ConsoleCaptureOptions) {
    this.maxBytes = options.maxBytes ?? CONSOLE_LIMITS.runBytes;
    this.maxPending = options.maxPendingBytes ?? 8 * 1024 * 1024;
  }

  start(): void {
    for (const [name, target] of [
      ["stdout", process.stdout],
      ["stderr", process.stderr],
    ] as const) {
      // eslint-disable-next-line @typescript-eslint/unbound-method -- called with its stream below
      const original = target.write;
      const state: StreamState = {
        name,
        target,
        original,
        hook: original,
        decoder: new StringDecoder("utf8"),
        lines: new LineAssembler(CONSOLE_LIMITS.lineChars),
      };
      const take = (chunk: unknown): void => this.take(state, chunk);
      state.hook = function (this: NodeJS.WriteStream, ...args: unknown[]): boolean {
        take(args[0]);
        return Reflect.apply(original, this, args) as boolean;
      };
      target.write = state.hook;
      this.streams.push(state);
    }
    this.timer = setInterval(() => this.flush(false), this.options.flushMs ?? 250);
    this.timer.unref();
  }

  /** Sends what is buffered, ends partial lines, adds the note of what was not kept, and unhooks. */
  stop(): void {
    if (this.timer === null) return;
    clearInterval(this.timer);
    this.timer = null;
    this.flush(true);
    for (const state of this.streams) {
      // Someone hooked write after us: leave theirs in place (ours then only passes calls on).
      if (state.target.write === state.hook) state.target.write = state.original;
    }
    this.streams.length = 0;
  }

  /**
   * Formats the chunk's whole lines from `start` into `out`, up to one that holds `\r` or is too
   * long (or the bound); returns where the rest starts.
   */
  private plainLines(
    stream: ConsoleStream,
    text: string,
    start: number,
    time: number,
    out: string[],
  ): number {
    let from = start;
    let cr = text.indexOf("\r", from);
    if (cr === -1) cr = text.length;
    for (let nl = text.indexOf("\n", from); nl !== -1 && !this.full; nl = text.indexOf("\n", from)) {
      if (nl - from > CONSOLE_LIMITS.lineChars || nl > cr) break;
      const line = this.format(time, stream, text.slice(from, nl));
      this.keptBytes += line.length + 1;
      out.push(line);
      from = nl + 1;
      if (this.keptBytes > this.maxBytes) {
        this.full = true;
        out.push(note(time, `console output over ${mib(this.maxBytes)}: later output is not stored`));
        this.overLimitBytes += text.length - from;
        return text.length;
      }
    }
    return from;
  }

  private stampTime = -1;
  private stamp = "";

  /** formatConsoleLine with the time stamp made once per millisecond (lines of one write share it). */
  private format(time: number, stream: ConsoleStream, text: string): string {
    if (time !== this.stampTime) {
      this.stampTime = time;
      this.stamp = formatConsoleLine({ time, stream: "stdout", text: "" });
    }
    return stream === "stderr" ? `ERROR ${this.stamp}${text}` : this.stamp + text;
  }

  private take(state: StreamState, chunk: unknown): void {
    if (this.timer === null) return;
    if (typeof chunk !== "string" && !(chunk instanceof Uint8Array)) return;
    const size = chunk.length;
    if (this.full) {
      this.overLimitBytes += size;
      return;
    }
    if (this.pendingBytes + size > this.maxPending) {
      this.droppedBytes += size;
      return;
    }
    this.pendingBytes += size;
    this.pending.push({ stream: state, chunk, time: Date.now() });
  }

  private flush(final: boolean): void {
    const chunks = this.pending;
    this.pending = [];
    this.pendingBytes = 0;
    const out: string[] = [];
    let rewrite = false;
    const emit = (stream: StreamState, line: AssembledLine, partial: boolean): void => {
      if (this.full) return;
      const text = this.format(line.time, stream.name, line.text);
      if (this.partialOf === stream) {
        // This line's earlier state was sent last: replace it.
        if (out.length === 0) rewrite = true;
        else out.pop();
      }
      this.partialOf = partial ? stream : null;
      this.keptBytes += text.length + 1;
      out.push(text);
      if (this.keptBytes > this.maxBytes) {
        this.full = true;
        this.partialOf = null;
        out.push(note(line.time, `console output over ${mib(this.maxBytes)}: later output is not stored`));
      }
    };
    for (const { stream, chunk, time } of chunks) {
      if (this.full) {
        this.overLimitBytes += chunk.length;
        continue;
      }
      const text = typeof chunk === "string" ? chunk : stream.decoder.write(Buffer.from(chunk));
      let from = 0;
      while (from < text.length && !this.full) {
        if (!stream.lines.hasPartial && this.partialOf !== stream) {
          // The usual case, whole lines without `\r`: formatted straight from the chunk.
          const next = this.plainLines(stream.name, text, from, time, out);
          if (next > from) this.partialOf = null;
          from = next;
          if (from >= text.length) break;
        }
        // A line with `\r` (or too long, or unfinished): through the assembler, up to its end.
        const nl = text.indexOf("\n", from);
        const end = nl === -1 ? text.length : nl + 1;
        const lines: AssembledLine[] = [];
        stream.lines.feed(from === 0 && end === text.length ? text : text.slice(from, end), time, lines);
        for (const line of lines) emit(stream, line, false);
        from = end;
      }
    }
    const now = Date.now();
    for (const stream of this.streams) {
      if (final) {
        const last = stream.lines.end(now);
        if (last !== null) emit(stream, last, false);
      } else if (this.partialOf === null || this.partialOf === stream) {
        // A line being written (a progress bar) is shown before its `\n`, when it is the last line.
        const partial = stream.lines.partial();
        if (partial !== null) emit(stream, partial, true);
      }
    }
    if (this.droppedBytes > 0 && !this.full) {
      out.push(
        note(
          now,
          `${this.droppedBytes} bytes of console output written faster than they could be kept were not stored`,
        ),
      );
      this.droppedBytes = 0;
      this.partialOf = null;
    }
    if (final && this.overLimitBytes > 0)
      out.push(
        note(
          now,
          `${this.overLimitBytes} bytes of console output after the ${mib(this.maxBytes)} limit were not stored`,
        ),
      );
    // Records of at most RECORD_LINES lines; only the first can rewrite the run's last line.
    for (let from = 0; from < out.length; from += RECORD_LINES) {
      const record: ConsoleRecord = { t: "console", lines: out.slice(from, from + RECORD_LINES) };
      if (rewrite && from === 0) record.rewrite = true;
      this.options.append(record, JSON.stringify(record));
    }
  }
}

function note(time: number, text: string): string {
  return formatConsoleLine({ time, stream: "stderr", text: `[stepwise] ${text}` });
}

function mib(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${Math.round(bytes / 1024 / 1024)} MiB` : `${bytes} bytes`;
}
