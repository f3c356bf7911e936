/** NDJSON pages of a scan's rows (a scan with keys or steps): the row text, one row per line, as UTF-8 bytes. */
export async function* ndjsonChunks(pages: AsyncIterable<string[]>): AsyncGenerator<Uint8Array> {
  for await (const rows of pages) if (rows.length > 0) yield Buffer.from(rows.join("\n") + "\n");
}
