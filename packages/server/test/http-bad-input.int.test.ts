/**
 * Thousands of malformed, oversized and hostile requests against every endpoint: each gets a
 * 4xx (never a 5xx or a dropped connection), the server keeps serving, and the stored data is
 * exactly what it was (compared through a full export before and after).
 */
import { expect, test } from "vitest";
import { apiPaths, type RunRef } from "@stepwise/protocol";
import { hostileRequests } from "./hostile-requests.js";
import { historyBatch, rawRequest, startTestServer, type TestServer } from "./http-harness.js";

const ref: RunRef = { entity: "local", project: "demo", runId: "run-1" };

/** Everything a client can read back: runs, their history, their files. */
async function fullExport(t: TestServer): Promise<string> {
  const parts: string[] = [await (await t.fetch(apiPaths.entities())).text()];
  for (const entity of ["local", "team"]) parts.push(await (await t.fetch(apiPaths.projects(entity))).text());
  const list = await t.send("POST", apiPaths.runs("local", "demo"), { limit: 1000 });
  const { runs } = (await list.clone().json()) as { runs: Array<{ id: string }> };
  parts.push(await list.text());
  for (const run of runs) {
    const runRef = { ...ref, runId: run.id };
    parts.push(await (await t.fetch(apiPaths.run(runRef))).text());
    parts.push(await (await t.fetch(apiPaths.history(runRef))).text());
    const files = await (await t.fetch(apiPaths.files(runRef))).text();
    parts.push(files);
    for (const file of (JSON.parse(files) as { files: Array<{ path: string }> }).files)
      parts.push(await (await t.fetch(apiPaths.file(runRef, file.path))).text());
  }
  return parts.join("\n---\n");
}

test("hostile requests get 4xx only, the server keeps serving and the data is unchanged", async () => {
  await using t = await startTestServer({
    crashTimeoutS: 3600,
    maxBodyBytes: 256 * 1024,
    maxDecompressedBytes: 1024 * 1024,
  });
  await t.ingest(ref, {
    run: { name: "seed", config: { lr: 0.1 } },
    ...historyBatch(0, 50),
    summary: { loss: 0.1 },
  });
  await t.ingest({ ...ref, runId: "run-2" }, historyBatch(0, 5));
  await t.fetch(apiPaths.file(ref, "notes/readme.txt"), { method: "PUT", body: "hello" });
  const before = await fullExport(t);

  const requests = hostileRequests(ref);
  expect(requests.length).toBeGreaterThan(2000);
  const failures: string[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < requests.length) {
      const request = requests[next++];
      if (request === undefined) break;
      const label = `${request.method} ${request.path.slice(0, 120)} ${String(request.body ?? "").slice(0, 80)}`;
      try {
        const response = await rawRequest(t.url, request);
        if (response.status < 400 || response.status >= 500)
          failures.push(`${response.status} ${label} → ${response.body.slice(0, 200)}`);
        else if (response.status !== 431 && !response.body.includes('"error"'))
          failures.push(`no error body: ${label}`);
      } catch (error) {
        failures.push(`${label} → ${String(error)}`);
      }
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
  expect(failures.slice(0, 20)).toEqual([]);
  expect((await t.fetch(apiPaths.viewer())).status).toBe(200);
  expect(await fullExport(t)).toBe(before);
  expect(t.logs.filter((line) => line.startsWith("internal error"))).toEqual([]);
}, 120_000);
