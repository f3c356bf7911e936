/** NDJSON export: the stored row text verbatim, one row per line, page by page. */
export async function* ndjsonChunks(pages: AsyncIterable<string[]>): AsyncGenerator<string> {
  for await (const rows of pages) if (rows.length > 0) yield rows.join("\n") + "\n";
}
