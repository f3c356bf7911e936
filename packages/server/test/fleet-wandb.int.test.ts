/**
 * The W&B endpoints on a fleet (issue 16 item 4): three API server processes on one PostgreSQL
 * database and one S3 bucket (s3rver), behind a round-robin proxy (support/fleet-wandb-proxy.ts)
 * so that a real, unmodified `wandb` client's requests land on every server in turn. No sticky
 * routing: an artifact's steps (create, files, manifest, commit) and a resumed run's status and
 * console requests reach different servers, and the server that answered `createArtifact` is
 * SIGKILLed and started again before it answers the `commitArtifact` the proxy held meanwhile.
 * The first process logs rows, console lines and the artifact `dataset`; a second one resumes the
 * run, logs as much again, downloads the artifact and logs a second version with one file changed.
 * Read back through Stepwise's API, the run holds every row and console line once, in order (an
 * old client resumes sending console lines from 0: the offset is moved on whatever server sees
 * them), and both versions hold exactly the bytes written; no request was answered 500.
 * Files are uploaded straight to the server that handed out the upload URL (its own address).
 * Skipped only where the PostgreSQL server binaries are absent.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseExtended } from "@stepwise/protocol";
import { startWandbFleetProxy, type ForwardedRequest } from "./support/fleet-wandb-proxy.js";
import { postgresMissing, startPostgres, type PostgresProcess } from "./support/postgres-process.js";
import { startS3Process, type S3Process } from "./support/s3-process.js";
import { startServerProcess, type ServerProcess } from "./support/server-process.js";
import { WANDB_FIXTURES, newestWandbVersion } from "./support/wandb-fixture.js";
import { wandbPython } from "./support/wandb-venv.js";

const runFile = promisify(execFile);
const ROWS = 40;
/** 0.25.1 resumes its console from offset 0 (the server moves it); the newest from the count. */
const VERSIONS = [
  ...new Set(
    process.env["STEPWISE_WANDB_VERSION"] ? [newestWandbVersion()] : ["0.25.1", newestWandbVersion()],
  ),
];

type Files = Record<string, string>;
interface Result {
  entity: string;
  project: string;
  id: string;
  version: string;
  files: Files;
  downloaded?: Files;
}

const missing = postgresMissing();
let postgres: PostgresProcess | null = null;
let s3: S3Process | null = null;
const dirs: string[] = [];
beforeAll(async () => {
  if (missing !== null) return;
  [postgres, s3] = await Promise.all([startPostgres(), startS3Process()]);
}, 60_000);
afterAll(async () => {
  await Promise.all([postgres?.stop(), s3?.stop()]);
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
}, 60_000);

describe.skipIf(missing !== null).each(VERSIONS)(
  `wandb %s on a fleet of API servers, round robin${missing === null ? "" : ` (skipped: ${missing})`}`,
  (version) => {
    it("logs an artifact (its server restarted between create and commit) and resumes a run with console output: all exact", async () => {
      const python = await wandbPython(version);
      const database = await (postgres as PostgresProcess).createDatabase();
      const { bucket, env: s3env } = s3 as S3Process;
      const dir = mkdtempSync(join(tmpdir(), "stepwise-fleet-wandb-"));
      dirs.push(dir);
      const dataDir = join(dir, "data");
      const env = {
        ...s3env,
        STEPWISE_DATABASE_URL: database,
        STEPWISE_BLOBS: `s3://${bucket}/fleet-wandb-${version}`,
      };
      const servers: ServerProcess[] = await Promise.all(
        [0, 1, 2].map(() => startServerProcess(dataDir, env)),
      );
      const key = (await readFile(join(dataDir, "admin-key"), "utf8")).trim();

      // The first commitArtifact is held while the server that answered createArtifact restarts,
      // then answered by it (on its new port). Once a client asked for a run's resume status, its
      // file_stream requests (console lines) all go to the next server, never the one that answered.
      let restarted = 0;
      let resumePhase = false;
      let resumeStatusOn: number | null = null;
      let streams = 0;
      const lastServerOf = (text: string): number | null =>
        [...proxy.log].reverse().find((e) => e.request.body.includes(text))?.server ?? null;
      const hook = async (request: ForwardedRequest): Promise<number | null> => {
        if (resumePhase && request.body.includes("RunResumeStatus")) return (resumeStatusOn = 0);
        if (request.path.endsWith("/file_stream") && resumeStatusOn !== null) return 1 + (streams++ % 2);
        if (!request.body.includes("commitArtifact(") || restarted > 0) return null;
        const createdOn = lastServerOf("createArtifact(");
        if (createdOn === null) throw new Error("commitArtifact before any createArtifact");
        restarted++;
        await (servers[createdOn] as ServerProcess).stop("SIGKILL");
        servers[createdOn] = await startServerProcess(dataDir, env);
        proxy.backends[createdOn] = servers[createdOn].url;
        return createdOn;
      };
      const proxy = await startWandbFleetProxy(
        servers.map((s) => s.url),
        hook,
      );
      const script = async (phase: string, out: string): Promise<Result> => {
        const options = {
          cwd: dir,
          timeout: 240_000,
          env: {
            PATH: process.env["PATH"] ?? "/usr/bin:/bin",
            HOME: dir,
            WANDB_BASE_URL: proxy.url,
            WANDB_API_KEY: key,
            WANDB_DIR: dir,
            WANDB_CONFIG_DIR: join(dir, "config"),
            WANDB_CACHE_DIR: join(dir, `cache-${phase}`),
          },
        };
        try {
          await runFile(
            python,
            [join(WANDB_FIXTURES, "fleet_run.py"), out, phase, "fleetrun", String(ROWS)],
            options,
          );
        } catch (error) {
          const { stdout, stderr } = error as { stdout?: string; stderr?: string };
          const logs = servers.map((s, i) => `server ${i}:\n${s.stderr()}`).join("\n");
          throw new Error(`fleet_run.py ${phase} failed:\n${stdout ?? ""}\n${stderr ?? ""}\n${logs}`, {
            cause: error,
          });
        }
        return JSON.parse(await readFile(out, "utf8")) as Result;
      };
      const api = async (path: string): Promise<string> => {
        const response = await fetch(`${(servers[0] as ServerProcess).url}/api/v1${path}`, {
          headers: { authorization: `Bearer ${key}` },
        });
        const text = await response.text();
        expect(response.status, text).toBe(200);
        return text;
      };
      try {
        const first = await script("first", join(dir, "first.json"));
        expect(restarted).toBe(1);
        resumePhase = true;
        const resumed = await script("resume", join(dir, "resume.json"));
        expect(resumeStatusOn).toBe(0);
        expect([first.version, resumed.version]).toEqual(["v0", "v1"]);
        expect(resumed.downloaded).toEqual(first.files);

        const run = `/runs/${first.entity}/${first.project}/${first.id}`;
        const rows = (await api(`${run}/history?format=ndjson`))
          .split("\n")
          .filter((line) => line !== "")
          .map((line) => parseExtended(line) as Record<string, unknown>);
        const expected = [1, 2].flatMap((phase) => Array.from({ length: ROWS }, (_, i) => ({ phase, i })));
        expect(rows.map((row) => ({ phase: row["phase"], i: row["i"] }))).toEqual(expected);
        expect(rows.map((row) => row["_step"])).toEqual(expected.map((_, step) => step));
        const lines = (JSON.parse(await api(`${run}/console`)) as { lines: Array<{ text: string }> }).lines
          .map((line) => line.text)
          .filter((text) => text.startsWith("line "));
        expect(lines).toEqual(expected.map(({ phase, i }) => `line ${i} of process ${phase}`));

        // Both versions hold exactly the bytes written.
        const base = `/artifacts/${first.entity}/${first.project}/dataset`;
        for (const [alias, written] of [
          ["v0", first.files],
          ["v1", resumed.files],
        ] as const) {
          const manifest = JSON.parse(await api(`${base}/${alias}/manifest`)) as {
            entries: Array<{ path: string; url: string }>;
          };
          const stored: Files = {};
          for (const entry of manifest.entries) {
            const url = entry.url.startsWith("http")
              ? entry.url
              : `${(servers[0] as ServerProcess).url}${entry.url}`;
            const response = await fetch(url, { headers: { authorization: `Bearer ${key}` } });
            expect(response.status).toBe(200);
            stored[entry.path] = Buffer.from(await response.arrayBuffer()).toString("base64");
          }
          expect(stored).toEqual(written);
        }

        // The artifacts' steps were answered by more than one server, and every server answered; no 500.
        const steps = proxy.log.filter((e) =>
          /createArtifact|commitArtifact|ArtifactManifest/.test(e.request.body),
        );
        expect(new Set(steps.map((e) => e.server)).size).toBeGreaterThan(1);
        expect(new Set(proxy.log.map((e) => e.server))).toEqual(new Set([0, 1, 2]));
        expect(proxy.log.filter((e) => e.status >= 500 && e.status !== 502)).toEqual([]);
        for (const server of servers) expect(server.stderr()).not.toContain("W&B request failed");
      } finally {
        await proxy.close();
        await Promise.all(servers.map((s) => s.stop("SIGTERM")));
      }
    }, 600_000);
  },
);
