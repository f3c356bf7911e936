/**
 * Malformed and hostile requests against the structured routes (histograms, tables, export,
 * charts, presets): each is a 4xx with an error body, never a 5xx or a dropped connection, and
 * no internal error is logged; the server keeps serving the table as logged.
 */
import { expect, test } from "vitest";
import { structuredPaths, type RunRef } from "@stepwise/protocol";
import { rawRequest, startTestServer } from "./http-harness.js";
import {
  histogramValue,
  ingestRows,
  tableFileBytes,
  tableFileValue,
  uploadTable,
} from "./support/structured-values.js";

const ref: RunRef = { entity: "local", project: "demo", runId: "run-1" };

const NOT_OBJECTS = ["", "null", "[]", "1", '"x"', "{", '{"key":', "\u0000", "{}".repeat(3)];
const TABLE_BODIES = [
  '{"key":""}',
  '{"key":7}',
  '{"key":"t","step":"0"}',
  '{"key":"t","step":NaN}',
  '{"key":"t","offset":1.5}',
  '{"key":"t","offset":1e300}',
  '{"key":"t","limit":-1}',
  '{"key":"t","limit":"10"}',
  '{"key":"t","sort":"a"}',
  '{"key":"t","sort":[{"column":"a","desc":"yes"}]}',
  `{"key":"t","sort":${JSON.stringify(Array.from({ length: 9 }, () => ({ column: "a" })))}}`,
  '{"key":"t","sort":[{"column":""}]}',
  '{"key":"t","columns":"a"}',
  '{"key":"t","columns":[1]}',
  '{"key":"t","groupBy":""}',
  `{"key":"t","where":${JSON.stringify("a = 1 and ".repeat(500))}}`,
  `{"key":"t","where":${JSON.stringify("(".repeat(2000))}}`,
  `{"key":"t","where":${JSON.stringify("not ".repeat(1000) + "a = 1")}}`,
  `{"key":"t","where":${JSON.stringify("(".repeat(40) + "a = 1" + ")".repeat(40))}}`,
  `{"key":"t","where":${JSON.stringify(Array.from({ length: 300 }, () => "a = 1").join(" or "))}}`,
  '{"key":"t","where":"a = 1; DROP TABLE t"}',
  '{"key":"t","where":"`c0` = 1"}',
  '{"key":"t","where":"rowid > 0"}',
  '{"key":"t","where":"a contains"}',
  '{"key":"t","where":"a in ()"}',
  '{"key":"t","where":"a = \'x"}',
  '{"key":"t","groupBy":"nope"}',
  '{"key":"t","columns":["a","a","zz"]}',
  '{"key":"t\\u0000"}',
  `{"key":${JSON.stringify("k".repeat(2000))}}`,
];
const HISTOGRAM_BODIES = [
  '{"key":"h","columns":0}',
  '{"key":"h","columns":10001}',
  '{"key":"h","rows":0}',
  '{"key":"h","rows":1.5}',
  '{"key":"h","xMin":"0"}',
  '{"key":"h","xMin":Infinity}',
  '{"key":"h","xMin":2,"xMax":1}',
  '{"key":"h","xAxis":""}',
  '{"key":"h","xAxis":"missing"}',
  '{"key":"nope"}',
  '{"key":"h","extra":1}',
];
const PRESET_BODIES = [
  '{"name":"x"}',
  '{"name":"","spec":{}}',
  '{"name":"x","spec":[]}',
  '{"name":"x","spec":{},"fields":[{"name":"a b"}]}',
  '{"name":"x","spec":{},"fields":[{"name":"a"},{"name":"a"}]}',
  '{"name":"x","spec":{"f":"${field:zz}"}}',
  '{"name":"x","spec":{"f":"${string:zz}"}}',
];
const RENDER_BODIES = [
  '{"id":"nope"}',
  '{"id":"stepwise/line/v0"}',
  '{"id":"stepwise/line/v0","fields":{"x":1}}',
  '{"id":"stepwise/line/v0","fields":{"x":"a","y":"b","w":"c"}}',
  '{"id":"stepwise/line/v0","fields":{"x":"a","y":"b"},"stringFields":{"title":7}}',
  '{"id":"a/b/c/d"}',
];

test("bad requests to the structured routes get 4xx only, the server keeps serving", async () => {
  await using t = await startTestServer();
  const bytes = tableFileBytes(
    ["a", "b"],
    [
      [1, "x"],
      [2, "y"],
    ],
  );
  const table = tableFileValue("t", 0, bytes, 2, 2);
  await ingestRows(t, ref, 0, [{ _step: 0, t: table, h: histogramValue([1, 2], [0, 1, 2]) }]);
  await uploadTable(t, ref, table, bytes);
  const json = (method: string, path: string, body: string) => ({
    method,
    path,
    headers: { "content-type": "application/json" },
    body,
  });
  const requests: Array<{ method: string; path: string; headers?: Record<string, string>; body?: string }> = [
    ...[...NOT_OBJECTS, ...TABLE_BODIES].map((b) => json("POST", structuredPaths.tableQuery(ref), b)),
    ...[...NOT_OBJECTS, ...HISTOGRAM_BODIES].map((b) => json("POST", structuredPaths.histograms(ref), b)),
    ...[...NOT_OBJECTS, ...PRESET_BODIES].map((b) => json("PUT", structuredPaths.preset("local/p"), b)),
    ...[...NOT_OBJECTS, ...RENDER_BODIES].map((b) => json("POST", structuredPaths.presetRender(), b)),
    {
      method: "POST",
      path: structuredPaths.tableQuery(ref),
      headers: { "content-type": "text/plain" },
      body: '{"key":"t"}',
    },
    ...[
      "?key=t&format=xml",
      "?format=csv",
      "?key=t&step=x",
      "?key=t&sort=zz",
      "?key=t&columns=zz",
      "?key=t&where=%28",
      "?key=t&extra=1",
      "?key=nope",
    ].map((q) => ({ method: "GET", path: structuredPaths.tableExport(ref) + q })),
    ...["/runs/local/demo/unknown", "/runs/a%2Fb/demo/x", "/runs/local/demo/%00"].flatMap((run) => [
      { method: "GET", path: `/api/v1${run}/tables` },
      { method: "GET", path: `/api/v1${run}/histograms` },
      { method: "GET", path: `/api/v1${run}/charts` },
      json("POST", `/api/v1${run}/tables/query`, '{"key":"t"}'),
      json("POST", `/api/v1${run}/histograms/query`, '{"key":"h"}'),
    ]),
    ...["x", "a/b/c/d", "a%2Fb/c", "..%2F../x", "stepwise/line/v0/render", "%E0%A4%A"].flatMap((id) => [
      { method: "GET", path: `/api/v1/presets/${id}` },
      { method: "DELETE", path: `/api/v1/presets/${id}` },
    ]),
  ];
  const failures: string[] = [];
  for (const request of requests) {
    const label = `${request.method} ${request.path.slice(0, 100)} ${String(request.body ?? "").slice(0, 60)}`;
    try {
      const response = await rawRequest(t.url, request);
      if (response.status < 400 || response.status >= 500)
        failures.push(`${response.status} ${label} → ${response.body.slice(0, 200)}`);
      else if (!response.body.includes('"error"')) failures.push(`no error body: ${label}`);
    } catch (error) {
      failures.push(`${label} → ${String(error)}`);
    }
  }
  expect(failures).toEqual([]);
  const page = await t.send("POST", structuredPaths.tableQuery(ref), { key: "t", where: "a > 1" });
  expect(await page.json()).toMatchObject({ matchedRows: 1, rows: [{ index: 1, cells: [2, "y"] }] });
  expect(t.logs.filter((line) => line.startsWith("internal error"))).toEqual([]);
}, 120_000);
