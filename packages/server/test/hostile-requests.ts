/**
 * The bad-input suite's requests: for every endpoint, wrong types, malformed and non-JSON bodies,
 * NaN where numbers must be finite, huge keys and values, deep nesting, path traversal, invalid
 * names, unknown runs and garbage credentials. None of them may change stored data.
 */
import { gzipSync } from "node:zlib";
import { apiPaths, mediaPaths, type RunRef } from "@stepwise/protocol";

export interface HostileRequest {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

const HUGE_KEY = "k".repeat(5000);
const DEEP = "[".repeat(50_000) + "]".repeat(50_000);

/** Bodies that are not a JSON object at all. */
const NOT_OBJECTS: Array<string | Buffer> = [
  "",
  "{",
  "nul",
  "[]",
  "null",
  "1",
  '"text"',
  '{"a":',
  "NaN",
  "Infinity",
  '{"x": NaN',
  "\uFEFF{}",
  "{'single': 1}",
  '{"a":1}}',
  DEEP,
  `{"a":${DEEP}}`,
  Buffer.from([0xff, 0xfe, 0x00, 0x01, 0x80]),
  "x".repeat(300_000),
];

const INGEST_BODIES: string[] = [
  '{"history":"rows"}',
  '{"history":{"offset":-1,"rows":[]}}',
  '{"history":{"offset":NaN,"rows":[]}}',
  '{"history":{"offset":Infinity,"rows":[]}}',
  '{"history":{"offset":1e300,"rows":[]}}',
  '{"history":{"offset":0.5,"rows":[]}}',
  '{"history":{"offset":0,"rows":[1,2]}}',
  '{"history":{"offset":0,"rows":[null]}}',
  `{"history":{"offset":0,"rows":[{"${HUGE_KEY}":1}]}}`,
  '{"history":{"offset":0,"rows":[{"":1}]}}',
  `{"history":{"offset":0,"rows":[{"a":${DEEP}}]}}`,
  '{"history":{"offset":0}}',
  '{"events":{"offset":0,"lines":"x"}}',
  '{"console":{"offset":0,"lines":[1]}}',
  `{"console":{"offset":0,"lines":["${"x".repeat(1_100_000)}"]}}`,
  '{"meta":{"offset":0,"records":[{"t":"nope"}]}}',
  '{"meta":{"offset":0,"records":[{"t":"config"}]}}',
  '{"run":{"name":""}}',
  '{"run":{"tags":"a"}}',
  '{"run":{"startTime":Infinity}}',
  '{"run":{"startingStep":-3}}',
  '{"run":{"mode":"turbo"}}',
  '{"run":[]}',
  '{"summary":[]}',
  '{"summary":"x"}',
  '{"preempting":false}',
  '{"exit":{"exitCode":1.5,"runtime":0}}',
  '{"exit":{"exitCode":0,"runtime":NaN}}',
  '{"exit":{"exitCode":0,"runtime":-1}}',
];

const PATCH_BODIES: string[] = [
  "{}x",
  '{"name":""}',
  `{"name":"${"n".repeat(300)}"}`,
  '{"name":5}',
  '{"tags":"a"}',
  '{"tags":[""]}',
  '{"tags":[1]}',
  '{"notes":null}',
  '{"summary":[]}',
  '{"summary":{"":1}}',
  `{"summary":{"${HUGE_KEY}":1}}`,
  '{"config":"x"}',
  '{"stop":false}',
  '{"stop":"yes"}',
  '{"state":"finished"}',
  '{"__proto__":{"name":"x"}}',
  '{"constructor":{"prototype":{"x":1}}}',
];

const LIST_BODIES: string[] = [
  '{"filters":"x"}',
  '{"filters":[{"field":"bogus","op":"eq","value":1}]}',
  '{"filters":[{"field":"state","op":"eq","value":"sleeping"}]}',
  '{"filters":[{"field":"tags","op":"eq","value":"x"}]}',
  '{"filters":[{"field":"config","path":"","op":"eq","value":1}]}',
  '{"filters":[{"field":"summary","op":"lt","value":1}]}',
  '{"limit":NaN}',
  '{"limit":0}',
  '{"limit":1001}',
  '{"limit":"10"}',
  '{"order":{"field":"x","desc":true}}',
  '{"order":{"field":"summary","desc":true}}',
  '{"cursor":""}',
  '{"cursor":"not-a-cursor"}',
  '{"cursor":"eyJ4IjoxfQ"}',
  '{"extra":1}',
];

function seriesBodies(ref: RunRef): string[] {
  const run = JSON.stringify(ref);
  return [
    '{"runs":[],"keys":["loss"]}',
    `{"runs":[${run}],"keys":[]}`,
    `{"runs":[${run}],"keys":[""]}`,
    `{"runs":[{"entity":"local"}],"keys":["loss"]}`,
    `{"runs":[${run}],"keys":["loss"],"buckets":0}`,
    `{"runs":[${run}],"keys":["loss"],"buckets":1e9}`,
    `{"runs":[${run}],"keys":["loss"],"buckets":NaN}`,
    `{"runs":[${run}],"keys":["loss"],"xMin":NaN}`,
    `{"runs":[${run}],"keys":["loss"],"xMax":Infinity}`,
    `{"runs":[${run}],"keys":["loss"],"xMin":5,"xMax":1}`,
    `{"runs":[${run}],"keys":["loss"],"xAxis":""}`,
    `{"runs":[${run}],"keys":${JSON.stringify(Array.from({ length: 1001 }, (_, i) => `k${i}`))}}`,
    `{"runs":[{"entity":"local","project":"demo","runId":"unknown"}],"keys":["loss"]}`,
    `{"runs":[{"entity":"a/b","project":"demo","runId":"x"}],"keys":["loss"]}`,
    `{"runs":[${run}],"keys":["${HUGE_KEY}"]}`,
  ];
}

const BAD_RUN_PATHS = [
  "/api/v1/runs/local/demo/run%20",
  "/api/v1/runs/local/demo/%00",
  "/api/v1/runs/local/demo/a%01b",
  "/api/v1/runs/local/demo/a%7F",
  "/api/v1/runs/local%0A/demo/r",
  "/api/v1/runs/local/demo/a%2Fb",
  "/api/v1/runs/local/demo/a%3Bb",
  "/api/v1/runs/local/demo/%ZZ",
  "/api/v1/runs/local%23x/demo/r",
  `/api/v1/runs/local/demo/${"r".repeat(200)}`,
  `/api/v1/runs/${"e".repeat(200)}/demo/r`,
  "/api/v1/runs/local/demo/a%5Cb",
  "/api/v1/runs/local/demo/a'b",
  "/api/v1/runs/local/demo/%20lead",
];

/** Well-formed names of runs that do not exist: reads and edits are 404s. */
const UNKNOWN_RUN_PATHS = ["/api/v1/runs/local/demo/unknown-run", "/api/v1/runs/nobody/nowhere/nothing"];

const BAD_AUTH = [
  "Bearer",
  "Bearer sw_nope",
  "Basic !!!",
  `Basic ${Buffer.from("api:").toString("base64")}`,
  `Basic ${Buffer.from("root:sw_x").toString("base64")}`,
  "Digest x",
  `Bearer ${"x".repeat(10_000)}`,
];

function json(
  method: string,
  path: string,
  body: string | Buffer,
  extra: Record<string, string> = {},
): HostileRequest {
  return { method, path, headers: { "content-type": "application/json", ...extra }, body };
}

export function hostileRequests(ref: RunRef): HostileRequest[] {
  const out: HostileRequest[] = [];
  const unknown = { ...ref, runId: "unknown-run" };
  const bodyEndpoints: Array<[string, string, string[]]> = [
    ["POST", apiPaths.ingest(ref), INGEST_BODIES],
    ["PATCH", apiPaths.run(ref), PATCH_BODIES],
    ["POST", apiPaths.runs(ref.entity, ref.project), LIST_BODIES],
    ["POST", apiPaths.series(), seriesBodies(ref)],
    [
      "POST",
      apiPaths.seriesKeys(),
      [
        ...seriesBodies(ref),
        '{"runs":[]}',
        '{"runs":"x"}',
        '{"runs":[{"entity":"a/b","project":"demo","runId":"x"}]}',
        `{"runs":${JSON.stringify(Array.from({ length: 1001 }, () => ref))}}`,
        `{"runs":[${JSON.stringify(ref)}],"limit":0}`,
        `{"runs":[${JSON.stringify(ref)}],"limit":1.5}`,
        `{"runs":[${JSON.stringify(ref)}],"cursor":7}`,
        `{"runs":[${JSON.stringify(ref)}],"search":${JSON.stringify("x".repeat(1025))}}`,
      ],
    ],
    [
      "POST",
      apiPaths.keys(),
      [
        '{"name":""}',
        '{"name":"x","entity":"a/b"}',
        '{"name":"x","entity":"e","admin":"yes"}',
        '{"name":"x"}',
      ],
    ],
  ];
  for (const [method, path, specific] of bodyEndpoints) {
    for (const body of [...NOT_OBJECTS, ...specific]) {
      out.push(json(method, path, body));
      out.push(json(method, path, gzipSync(body), { "content-encoding": "gzip" }));
      out.push(json(method, path, body, { "content-encoding": "gzip" }));
      out.push(json(method, path, body, { "content-encoding": "deflate, br" }));
    }
    out.push(json(method, path, "x".repeat(300 * 1024)));
    out.push(
      json(method, path, gzipSync(Buffer.alloc(2 * 1024 * 1024, 0x20)), { "content-encoding": "gzip" }),
    );
  }
  // Valid requests to runs that are not there, or to names that cannot be runs (ingest would
  // create a run with a valid name, so it gets only the invalid names).
  for (const path of [...BAD_RUN_PATHS, ...UNKNOWN_RUN_PATHS]) {
    for (const suffix of [
      "",
      "/history",
      "/files",
      "/files/a.txt",
      "/history?format=csv",
      "/history?format=parquet",
    ])
      out.push({ method: "GET", path: path + suffix });
    out.push(json("PATCH", path, '{"name":"x"}'));
    out.push({ method: "PUT", path: `${path}/files/a.txt`, body: "data" });
    const series = {
      runs: [{ entity: "local", project: "demo", runId: safeDecode(path.split("/").pop() ?? "") }],
      keys: ["loss"],
    };
    out.push(json("POST", apiPaths.series(), JSON.stringify(series)));
  }
  for (const path of BAD_RUN_PATHS)
    out.push(json("POST", `${path}/ingest`, '{"history":{"offset":0,"rows":[{"_step":0}]}}'));
  out.push(json("POST", `${apiPaths.run(unknown)}/ingest?x=1`, "[]"));
  // Query strings.
  const listPath = apiPaths.runs(ref.entity, ref.project);
  for (const query of [
    "state=x",
    "state=running,",
    "limit=-1",
    "limit=1e3",
    "limit=NaN",
    "sort=",
    "sort=-",
    "sort=summary.",
    "cursor=",
    "cursor=zzz",
    "bogus=1",
    `name=${"n".repeat(2000)}`,
  ])
    out.push({ method: "GET", path: `${listPath}?${query}` });
  for (const query of [
    "format=xlsx",
    "format=../../x",
    "minStep=NaN",
    "minStep=1.5",
    "maxStep=1e400",
    "keys=" + "k".repeat(70_000),
    "x=1",
    "minStep=99999999999999999999",
  ])
    out.push({ method: "GET", path: `${apiPaths.history(ref)}?${query}` });
  // The media routes' queries and thumbnail paths.
  const media = mediaPaths.media(ref.entity, ref.project);
  for (const query of [
    "",
    "key=img",
    "runs=a",
    "key=img&runs=",
    "key=img&runs=,,,",
    "key=img&runs=a%2Fb",
    `key=img&runs=${Array.from({ length: 201 }, (_, i) => `r${i}`).join(",")}`,
    "key=img&runs=a&step=NaN",
    "key=img&runs=a&step=1e3",
    "key=img&runs=a&step=-5",
    "key=img&runs=a&step=99999999999999999999",
    "key=img&runs=a&match=near",
    "key=img&runs=a&step=1&maxStep=3",
    "key=img&runs=a&minStep=5&maxStep=1",
    "key=img&runs=a&limit=0",
    "key=img&runs=a&limit=5001",
    `key=${"k".repeat(5000)}&runs=a`,
    "key=img&runs=a&x=1",
  ])
    out.push({ method: "GET", path: `${media}?${query}` });
  for (const query of ["", "key=img", "key=img&runs=a&step=1"])
    out.push({ method: "GET", path: `${mediaPaths.mediaSteps(ref.entity, ref.project)}?${query}` });
  for (const query of ["runs=", "runs=a%2Fb", "key=", `key=${"k".repeat(5000)}`, "since=1"])
    out.push({ method: "GET", path: `${mediaPaths.keyKinds(ref.entity, ref.project)}?${query}` });
  const thumbnails = mediaPaths.thumbnail(ref, 256, "x").replace(/\/256\/x$/, "");
  for (const tail of [
    "/300/a.png",
    "/abc/a.png",
    "/256",
    "/256/",
    "/256/notes/readme.txt",
    "/256/missing.png",
  ])
    out.push({ method: "GET", path: thumbnails + tail });
  for (const name of [
    "..%2F..%2Fadmin-key",
    "%2E%2E",
    "a%5C..%5Cb",
    "a%00b",
    "a//b",
    "%E0%A4%A",
    "x".repeat(2000),
  ])
    out.push({ method: "GET", path: `${thumbnails}/256/${name}` });
  // File paths.
  const files = apiPaths.files(ref);
  for (const name of [
    "..%2F..%2Fadmin-key",
    "a%2F..%2F..%2Fb",
    "%2E%2E",
    "a%5C..%5Cb",
    "a%00b",
    "%2Fetc%2Fpasswd",
    "a//b",
    "%0A",
    "a%2F%2Fb",
    "%2E",
    "x".repeat(2000),
    "%E0%A4%A",
  ]) {
    out.push({ method: "PUT", path: `${files}/${name}`, body: "evil" });
    out.push({ method: "GET", path: `${files}/${name}` });
  }
  out.push({ method: "GET", path: `${files}/missing.bin` });
  out.push({ method: "PUT", path: apiPaths.file(unknown, "a.txt"), body: "x" });
  out.push({ method: "PUT", path: apiPaths.file(ref, "big.bin"), body: Buffer.alloc(300 * 1024) });
  // Other methods, unknown endpoints, entity names.
  for (const method of ["DELETE", "PUT", "OPTIONS"]) out.push({ method, path: apiPaths.run(ref) });
  for (const path of [
    "/api/v1",
    "/api/v2/runs",
    "/api/v1/nothing",
    "/api/v1/entities/a%2Fb/projects",
    `/api/v1/entities/${"e".repeat(300)}/projects`,
  ])
    out.push({ method: "GET", path });
  // Garbage credentials on every kind of endpoint.
  for (const authorization of BAD_AUTH)
    for (const path of [
      apiPaths.viewer(),
      apiPaths.entities(),
      apiPaths.run(ref),
      apiPaths.history(ref),
      listPath,
    ])
      out.push({ method: "GET", path, headers: { authorization } });
  for (const authorization of BAD_AUTH)
    out.push({
      ...json("POST", apiPaths.ingest(ref), '{"history":{"offset":50,"rows":[{"_step":50}]}}'),
      headers: { authorization, "content-type": "application/json" },
    });
  // Repeat the lot with different run ids so that the count reaches the thousands.
  const base = out.slice();
  for (const runId of ["run-2", "unknown-run"])
    for (const request of base)
      if (request.path.includes(`/${ref.runId}`))
        out.push({ ...request, path: request.path.replace(`/${ref.runId}`, `/${runId}`) });
  const scoped = `/${ref.entity}/${ref.project}/`;
  for (const request of base)
    if (request.path.includes(scoped))
      out.push({ ...request, path: request.path.replace(scoped, `/${ref.entity}/other-project/`) });
  return out;
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
