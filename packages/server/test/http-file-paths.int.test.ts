/**
 * Run file paths that the file store cannot hold beside the stored ones, or at all: a file where
 * a folder is needed (the file system's EEXIST / ENOTDIR), a folder where a file would go
 * (EISDIR), a name over 255 bytes (ENAMETOOLONG). Each is a 4xx naming the path and the fix,
 * never a 500, and changes nothing that was stored.
 */
import { expect, test } from "vitest";
import { apiPaths, type RunRef } from "@stepwise/protocol";
import { historyBatch, startTestServer, type TestServer } from "./http-harness.js";

const ref: RunRef = { entity: "local", project: "p", runId: "files" };

interface Refusal {
  status: number;
  code: string;
  message: string;
}

async function put(t: TestServer, path: string, body = "x"): Promise<Refusal> {
  const response = await t.fetch(apiPaths.file(ref, path), { method: "PUT", body });
  const text = await response.text();
  const error = response.status >= 400 ? (JSON.parse(text) as { error: Refusal }).error : null;
  return { status: response.status, code: error?.code ?? "", message: error?.message ?? "" };
}

async function download(t: TestServer, path: string): Promise<{ status: number; text: string }> {
  const response = await t.fetch(apiPaths.file(ref, path));
  return { status: response.status, text: await response.text() };
}

test("a file where a folder is needed is a 409 naming the file in the way", async () => {
  await using t = await startTestServer();
  await t.ingest(ref, historyBatch(0, 1));
  expect((await put(t, "model/weights.bin", "original")).status).toBe(201);
  for (const path of ["model/weights.bin/part-1", "model/weights.bin/deeper/part-2"]) {
    const refused = await put(t, path);
    expect(refused.status, path).toBe(409);
    expect(refused.code).toBe("PATH_CONFLICT");
    expect(refused.message).toContain(`run file '${path}' cannot be stored`);
    expect(refused.message).toContain("'model/weights.bin' is already a file of this run");
    expect(refused.message).toContain("upload it under another path");
    // Reading such a path is a plain 404, not a file system error.
    expect((await download(t, path)).status).toBe(404);
  }
  expect(await download(t, "model/weights.bin")).toEqual({ status: 200, text: "original" });
  expect(t.logs.filter((line) => line.startsWith("internal error"))).toEqual([]);
});

test("a file where a folder of files is is a 409 naming the folder", async () => {
  await using t = await startTestServer();
  await t.ingest(ref, historyBatch(0, 1));
  expect((await put(t, "logs/epoch-1.txt", "one")).status).toBe(201);
  const refused = await put(t, "logs");
  expect(refused.status).toBe(409);
  expect(refused.code).toBe("PATH_CONFLICT");
  expect(refused.message).toContain("'logs' is already a folder of this run's files");
  expect(refused.message).toContain("upload it under another name");
  expect(await download(t, "logs/epoch-1.txt")).toEqual({ status: 200, text: "one" });
  const listed = (await (await t.fetch(apiPaths.files(ref))).json()) as { files: { path: string }[] };
  expect(listed.files.map((file) => file.path)).toEqual(["logs/epoch-1.txt"]);
  expect(t.logs.filter((line) => line.startsWith("internal error"))).toEqual([]);
});

test("a name longer than the file system allows is a 400 naming the path and the limit", async () => {
  await using t = await startTestServer();
  await t.ingest(ref, historyBatch(0, 1));
  // 256 ASCII bytes, and 100 three-byte characters (300 bytes in 100 characters).
  for (const name of ["a".repeat(256), "漢".repeat(100)]) {
    const path = `media/${name}.png`;
    const refused = await put(t, path);
    expect(refused.status, name.slice(0, 3)).toBe(400);
    expect(refused.code).toBe("INVALID_DATA");
    expect(refused.message).toContain(`run file 'media/${name.slice(0, 20)}`);
    expect(refused.message).toContain("longer than 255 bytes");
    expect(refused.message).toContain("shorten it");
    expect((await download(t, path)).status).toBe(404);
  }
  // 255 bytes is still a valid name.
  expect((await put(t, `media/${"b".repeat(251)}.png`)).status).toBe(201);
  expect(t.logs.filter((line) => line.startsWith("internal error"))).toEqual([]);
});

test("a run whose id is too long for a file name as it is still stores and serves its files", async () => {
  await using t = await startTestServer();
  const long: RunRef = { entity: "local", project: "p", runId: "漢".repeat(120) };
  // 120 characters is a valid run id; percent-encoded it is 1,080 bytes, over a file name's 255.
  expect((await t.ingest(long, historyBatch(0, 1))).status).toBe(200);
  const path = apiPaths.file(long, "notes.txt");
  expect((await t.fetch(path, { method: "PUT", body: "kept" })).status).toBe(201);
  expect(await (await t.fetch(path)).text()).toBe("kept");
});
