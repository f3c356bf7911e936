/**
 * The history export reads a scan's first page before it answers, so that damage there
 * (STORE_CORRUPT) is answered as that typed error before any byte is sent; damage further on
 * ends the scan with it and so cuts the transfer, never a clean end. The page read first is
 * not read again: the writer continues the same scan.
 */

/**
 * Opens a scan and awaits its first page (throwing what it throws). Returns a scan function for
 * the writers: its first call continues that scan (the page read, then the rest); later calls
 * (the second pass of the two-pass CSV and Parquet writers) scan anew.
 */
export async function withFirstPage<Page>(
  scan: () => AsyncIterable<Page>,
): Promise<() => AsyncIterable<Page>> {
  const iterator = scan()[Symbol.asyncIterator]();
  const first = await iterator.next();
  let opened = false;
  return () => {
    if (opened) return scan();
    opened = true;
    return continued(first, iterator);
  };
}

async function* continued<Page>(
  first: IteratorResult<Page>,
  iterator: AsyncIterator<Page>,
): AsyncGenerator<Page> {
  try {
    for (let page = first; page.done !== true; page = await iterator.next()) yield page.value;
  } finally {
    // A writer that stops early (a client gone, rows past the first pass) stops the scan too.
    await iterator.return?.();
  }
}
