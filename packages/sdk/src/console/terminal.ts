/**
 * What a run prints, on stderr so stdout stays the user's: lines prefixed `stepwise: `,
 * warnings once per cause. `quiet` keeps warnings and the essentials; `silent` prints nothing.
 */
export type Verbosity = "normal" | "quiet" | "silent";

export class Terminal {
  private readonly warned = new Set<string>();

  constructor(
    private readonly verbosity: Verbosity,
    private readonly write: (text: string) => void = (text) => void process.stderr.write(text),
  ) {}

  /** Header/footer lines: not printed when quiet or silent. */
  info(lines: string | string[]): void {
    if (this.verbosity === "normal") this.print(lines);
  }

  /** Printed unless silent. */
  essential(lines: string | string[]): void {
    if (this.verbosity !== "silent") this.print(lines);
  }

  warn(message: string): void {
    if (this.verbosity !== "silent") this.write(`stepwise: WARNING ${message}\n`);
  }

  /** Warns the first time a cause is seen, never again. */
  warnOnce(cause: string, message: string): void {
    if (this.warned.has(cause)) return;
    this.warned.add(cause);
    this.warn(message);
  }

  private print(lines: string | string[]): void {
    const all = typeof lines === "string" ? [lines] : lines;
    this.write(all.map((line) => (line === "" ? "stepwise:\n" : `stepwise: ${line}\n`)).join(""));
  }
}
