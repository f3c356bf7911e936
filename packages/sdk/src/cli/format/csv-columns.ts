/**
 * Collects the columns of a CSV history export while the rows stream past: `_step` first,
 * then the user's names in first-seen order, then `_runtime` and `_timestamp` — the order in
 * which a reader wants to see them, whatever order the rows hold them in.
 */
const LEADING = ["_step"] as const;
const TRAILING = ["_runtime", "_timestamp"] as const;
const RESERVED: ReadonlySet<string> = new Set<string>([...LEADING, ...TRAILING]);

export class CsvColumns {
  private readonly seen = new Set<string>();

  observe(names: Iterable<string>): void {
    for (const name of names) this.seen.add(name);
  }

  /** `_step` is always a column, so even an export of zero rows has a header to read. */
  list(): string[] {
    const user = [...this.seen].filter((name) => !RESERVED.has(name));
    const trailing = TRAILING.filter((name) => this.seen.has(name));
    return [...LEADING, ...user, ...trailing];
  }
}
