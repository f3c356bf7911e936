/** Adapts an async sequence of byte pages to a response body that is pulled as the client reads. */
export function bytesStream(pages: AsyncIterable<Uint8Array>): ReadableStream<Uint8Array> {
  const iterator = pages[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await iterator.next();
      if (next.done === true) controller.close();
      else controller.enqueue(next.value);
    },
    async cancel() {
      await iterator.return?.();
    },
  });
}
