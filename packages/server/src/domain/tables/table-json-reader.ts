/**
 * Reads a logged table file (`{"columns":[…],"data":[[…],…]}`, W&B's run-local table JSON) in
 * pieces of text as they arrive, handing on each row as soon as it is complete, so that a table
 * of millions of rows is never held whole. Members may come in any order; other members are
 * skipped. Cells are extended JSON (NaN and ±Infinity allowed). A malformed file is reported
 * as a TableFileError naming the place.
 */
import { parseExtended } from "@stepwise/protocol";

export class TableFileError extends Error {}

export interface TableJsonSink {
  columns(names: unknown[]): void;
  row(cells: unknown[], index: number): void;
}

type State = "start" | "key" | "colon" | "value" | "member" | "data" | "row" | "after" | "done";

export class TableJsonReader {
  private state: State = "start";
  private depth = 0;
  private inString = false;
  private escape = false;
  private key = "";
  private captured = "";
  private captureFrom = -1;
  private rows = 0;
  private sawColumns = false;
  private sawData = false;
  /** In the root object: a member name may come next (after `{` or `,`). */
  private expectKey = true;

  constructor(private readonly sink: TableJsonSink) {}

  /** Reads the next piece of the file's text. */
  feed(text: string): void {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (this.inString) {
        if (this.escape) this.escape = false;
        else if (c === 0x5c) this.escape = true;
        else if (c === 0x22) {
          this.inString = false;
          if (this.state === "key") {
            this.key = JSON.parse(this.endCapture(text, i + 1)) as string;
            this.state = "colon";
          }
        }
        continue;
      }
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) continue;
      this.step(text, i, c);
    }
    if (this.captureFrom >= 0) {
      this.captured += text.slice(this.captureFrom);
      this.captureFrom = 0;
    }
  }

  /** The file ended: checks that it was a whole table. */
  end(): void {
    if (this.state !== "done") throw new TableFileError("the table file ends before its closing `}`");
    if (!this.sawColumns) throw new TableFileError('the table file has no "columns" member');
    if (!this.sawData) throw new TableFileError('the table file has no "data" member');
  }

  private step(text: string, i: number, c: number): void {
    switch (this.state) {
      case "start":
        if (c !== 0x7b)
          throw new TableFileError('a table file is a JSON object ({"columns":[…],"data":[…]})');
        this.depth = 1;
        this.state = "after";
        this.expectKey = true;
        return;
      case "after":
        if (c === 0x7d) {
          this.depth = 0;
          this.state = "done";
        } else if (c === 0x2c && !this.expectKey) {
          this.expectKey = true;
        } else if (c === 0x22 && this.expectKey) {
          this.expectKey = false;
          this.inString = true;
          this.state = "key";
          this.startCapture(i);
        } else throw this.unexpected(text, i);
        return;
      case "colon":
        if (c !== 0x3a) throw this.unexpected(text, i);
        this.state = "value";
        return;
      case "value":
        if (this.key === "data") {
          if (c !== 0x5b) throw new TableFileError('"data" is not a list of rows');
          this.sawData = true;
          this.depth = 2;
          this.state = "data";
          return;
        }
        this.state = "member";
        this.startCapture(i);
        this.track(c);
        return;
      case "member":
        if (this.depth === 1 && (c === 0x2c || c === 0x7d)) {
          this.member(this.endCapture(text, i));
          this.state = "after";
          this.step(text, i, c);
          return;
        }
        this.track(c);
        return;
      case "data":
        if (c === 0x5d) {
          this.depth = 1;
          this.state = "after";
        } else if (c === 0x5b) {
          this.depth = 3;
          this.state = "row";
          this.startCapture(i);
        } else if (c !== 0x2c) throw new TableFileError(`row ${this.rows} of "data" is not a list of cells`);
        return;
      case "row":
        this.track(c);
        if (this.depth === 2) {
          this.row(this.endCapture(text, i + 1));
          this.state = "data";
        }
        return;
      case "key":
      case "done":
        throw this.unexpected(text, i);
    }
  }

  private track(c: number): void {
    if (c === 0x22) this.inString = true;
    else if (c === 0x5b || c === 0x7b) this.depth++;
    else if (c === 0x5d || c === 0x7d) this.depth--;
  }

  private member(text: string): void {
    if (this.key !== "columns") return;
    const value = this.parse(text, '"columns"');
    if (!Array.isArray(value)) throw new TableFileError('"columns" is not a list of names');
    this.sawColumns = true;
    this.sink.columns(value);
  }

  private row(text: string): void {
    const cells = this.parse(text, `row ${this.rows}`) as unknown[];
    this.sink.row(cells, this.rows++);
  }

  private parse(text: string, what: string): unknown {
    try {
      return parseExtended(text);
    } catch {
      throw new TableFileError(`${what} of the table file is not valid JSON`);
    }
  }

  private startCapture(i: number): void {
    this.captured = "";
    this.captureFrom = i;
  }

  private endCapture(text: string, end: number): string {
    const out = this.captured + text.slice(this.captureFrom, end);
    this.captured = "";
    this.captureFrom = -1;
    return out;
  }

  private unexpected(text: string, i: number): TableFileError {
    return new TableFileError(`unexpected \`${text[i] ?? ""}\` in the table file after ${this.rows} rows`);
  }
}
