/**
 * A page of a list the server holds whole (a collection's versions, a project's collections, a
 * run's artifacts) as W&B's connections: `totalCount`, `pageInfo` and `edges` whose cursors are
 * positions (these lists are short: versions of one collection, artifacts of one run).
 */
export interface PageArgs {
  after?: string | null;
  first?: number | null;
}

export function pageOf<T, E extends object>(items: readonly T[], args: PageArgs, edge: (item: T) => E) {
  const start = args.after === null || args.after === undefined ? 0 : Number(args.after) + 1 || 0;
  const first = Math.max(args.first ?? 50, 0);
  const page = items.slice(start, start + first);
  const edges = page.map((item, i) => ({ ...edge(item), cursor: String(start + i) }));
  const end = start + page.length;
  return {
    totalCount: items.length,
    edges,
    pageInfo: { endCursor: page.length === 0 ? null : String(end - 1), hasNextPage: end < items.length },
  };
}
