/**
 * Splits a streamed response body into lines as the bytes arrive, so that `scanHistory()` over
 * a million-row run holds one network chunk at a time, never the whole body.
 */
export async function* ndjsonLines(body: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  const reader = body.getReader();
  let pending = "";
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      pending += decoder.decode(value, { stream: true });
      let newline = pending.indexOf("\n");
      let start = 0;
      while (newline !== -1) {
        const line = pending.slice(start, newline);
        if (line.trim() !== "") yield line;
        start = newline + 1;
        newline = pending.indexOf("\n", start);
      }
      pending = pending.slice(start);
    }
    pending += decoder.decode();
    if (pending.trim() !== "") yield pending;
  } finally {
    // A caller that stops early (break out of for-await) must not leave the connection open.
    await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}
