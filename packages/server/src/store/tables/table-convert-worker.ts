/**
 * The worker thread that builds a stored table (table-builder.ts) from the table file's text,
 * so that parsing, inserting and indexing a million rows never holds up the server's requests.
 * Messages in: `{ text }` (the next piece; answered `{ ack: true }`), `{ end: true }`.
 * Messages out: `{ done: BuiltTable }`, or `{ error, code, invalid }` (`invalid`: the file is not
 * a table; `code`: the errno or SQLite code of another failure, such as ENOSPC).
 */
import { parentPort, workerData } from "node:worker_threads";
import { TableFileError, TableJsonReader } from "../../domain/tables/table-json-reader.js";
import { TableBuilder } from "./table-builder.js";

type Message = { text: string } | { end: true };

const port = parentPort;
if (port !== null) {
  const { path } = workerData as { path: string };
  let builder: TableBuilder | null = null;
  let reader: TableJsonReader | null = null;
  const fail = (error: unknown): void => {
    builder?.abandon();
    port.postMessage({
      error: error instanceof Error ? error.message : String(error),
      code: (error as { code?: unknown } | null)?.code,
      invalid: error instanceof TableFileError,
    });
    port.close();
  };
  try {
    builder = new TableBuilder(path);
    reader = new TableJsonReader(builder);
  } catch (error) {
    fail(error);
  }
  port.on("message", (message: Message) => {
    if (builder === null || reader === null) return;
    try {
      if ("text" in message) {
        reader.feed(message.text);
        port.postMessage({ ack: true });
      } else {
        reader.end();
        port.postMessage({ done: builder.finish() });
        port.close();
      }
    } catch (error) {
      fail(error);
      builder = null;
    }
  });
}
