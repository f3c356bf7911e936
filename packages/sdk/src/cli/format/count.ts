/** "1 history row", "2 history rows": a count with its noun in the right number, for CLI messages. */
export function count(n: number, singular: string, plural = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : plural}`;
}
