/**
 * Turns one stream's output, chunk by chunk, into lines as a terminal shows them: `\n` ends a
 * line, `\r` moves back to its start so that what follows overwrites it (a progress bar's last
 * frame is what the line holds, not every frame), `\r\n` is a plain line end. A line longer than
 * `maxChars` is cut, with a note of how much.
 */
export interface AssembledLine {
  /** Unix ms when the line's first character was written. */
  time: number;
  text: string;
}

export class LineAssembler {
  private line = "";
  private cursor = 0;
  private started = 0;
  private cut = 0;
  /** The line changed since `partial()` last returned it. */
  private dirty = false;

  constructor(private readonly maxChars: number) {}

  /** Feeds text written at `time`; complete lines go to `out`. */
  feed(text: string, time: number, out: AssembledLine[]): void {
    let from = 0;
    while (from < text.length) {
      const nl = text.indexOf("\n", from);
      const end = nl === -1 ? text.length : nl;
      if (end > from) this.write(text.slice(from, end), time);
      if (nl === -1) break;
      out.push(this.take(time));
      from = nl + 1;
    }
  }

  /** The line being written, when it holds something new since the last call (shown before its `\n` comes). */
  partial(): AssembledLine | null {
    if (!this.dirty || (this.line === "" && this.cut === 0)) return null;
    this.dirty = false;
    return { time: this.started, text: this.text() };
  }

  get hasPartial(): boolean {
    return this.line !== "" || this.cut > 0;
  }

  /** Ends the line being written (at finish); null when there is none. */
  end(time: number): AssembledLine | null {
    return this.hasPartial ? this.take(time) : null;
  }

  private write(segment: string, time: number): void {
    if (!this.hasPartial) this.started = time;
    let from = 0;
    while (from <= segment.length) {
      const cr = segment.indexOf("\r", from);
      const piece = segment.slice(from, cr === -1 ? segment.length : cr);
      if (piece !== "") this.overwrite(piece);
      if (cr === -1) break;
      this.cursor = 0;
      from = cr + 1;
    }
    this.dirty = true;
  }

  private overwrite(piece: string): void {
    if (this.cursor === this.line.length) this.line += piece;
    else this.line = this.line.slice(0, this.cursor) + piece + this.line.slice(this.cursor + piece.length);
    this.cursor += piece.length;
    if (this.line.length > this.maxChars) {
      this.cut += this.line.length - this.maxChars;
      this.line = this.line.slice(0, this.maxChars);
      this.cursor = Math.min(this.cursor, this.maxChars);
    }
  }

  private text(): string {
    return this.cut > 0 ? `${this.line} …[${this.cut} characters cut]` : this.line;
  }

  private take(time: number): AssembledLine {
    const line = { time: this.hasPartial ? this.started : time, text: this.text() };
    this.line = "";
    this.cursor = 0;
    this.cut = 0;
    this.dirty = false;
    return line;
  }
}
