/**
 * Splits a streamed NDJSON body as the bytes arrive, so that `scanHistory()` over a million-row
 * run holds one network chunk at a time, never the whole body: each chunk's whole lines as one
 * text without its last line break (lines joined by "\n"); what follows the last line break
 * waits for the next chunk. A caller that stops early (break out of for-await) cancels the body.
 */
export async function* ndjsonTexts(body: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  const reader = body.getReader();
  let pending = "";
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      const text = pending + decoder.decode(value, { stream: true });
      const end = text.lastIndexOf("\n");
      if (end === -1) {
        pending = text;
        continue;
      }
      pending = text.slice(end + 1);
      if (end > 0) yield text.slice(0, end);
    }
    pending += decoder.decode();
    if (pending.trim() !== "") yield pending;
  } finally {
    await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}
