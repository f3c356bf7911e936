/**
 * History rows of one batch gathered into one stored `history_blocks` row (see schema.ts):
 * their texts, joined by a newline when written, and their steps.
 */

/** Rows of one batch gathered into a stored block (see schema.ts): ≤ 1,000 rows, ≤ ~1 MiB of text. */
export class HistoryBlock {
  static readonly MAX_ROWS = 1000;
  static readonly MAX_CHARS = 1 << 20;
  rows = 0;
  texts: string[] = [];
  steps = new Float64Array(HistoryBlock.MAX_ROWS);
  chars = 0;

  /** Adds a row; true when the block is full and must be written. */
  add(step: number, text: string): boolean {
    this.steps[this.rows++] = step;
    this.texts.push(text);
    this.chars += text.length;
    return this.rows === HistoryBlock.MAX_ROWS || this.chars >= HistoryBlock.MAX_CHARS;
  }

  reset(): void {
    this.rows = 0;
    this.texts = [];
    this.chars = 0;
  }
}
