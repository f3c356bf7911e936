/**
 * The worker thread that reads stored tables (table-reads.ts), so that a scan of a million rows
 * (a first filtered or sorted page: 200–350 ms) never holds up the server's other requests.
 * Messages in: `{ id, request }`. Out: `{ id, result }` or `{ id, error, code }` (`code`: the
 * SQLite code, so a damaged table is told apart).
 */
import { parentPort } from "node:worker_threads";
import { TableReads, type TableReadRequest } from "./table-reads.js";

const port = parentPort;
if (port !== null) {
  const reads = new TableReads();
  port.on("message", ({ id, request }: { id: number; request: TableReadRequest }) => {
    try {
      port.postMessage({ id, result: reads.run(request) });
    } catch (error) {
      port.postMessage({
        id,
        error: error instanceof Error ? error.message : String(error),
        code: (error as { code?: unknown } | null)?.code,
      });
    }
  });
}
