/**
 * Slow clients cannot deny service: a server process with the common 1,024 open-file limit takes
 * 1,000 connections from 127.0.0.1 that send their headers a byte at a time (slowloris) and
 * still answers a client from another address at once; the connections past the per-client cap
 * are closed as they arrive, and the rest get 408 and are closed when the headers timeout runs
 * out. A request whose body stalls is cut at the idle timeout.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { connect, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { afterEach, expect, test } from "vitest";
import { apiPaths } from "@stepwise/protocol";

const SERVE = join(import.meta.dirname, "fixtures", "serve.mjs");
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface ServerProcess {
  url: string;
  port: number;
  stderr: string[];
}

/** The server in its own process, under `ulimit -n 1024`, with the given settings. */
async function startServerProcess(env: Record<string, string>): Promise<ServerProcess> {
  const dir = await mkdtemp(join(tmpdir(), "stepwise-slow-"));
  const child: ChildProcess = spawn(
    "sh",
    ["-c", 'ulimit -n 1024 && exec "$0" "$@"', process.execPath, SERVE, dir],
    {
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  const stderr: string[] = [];
  createInterface({ input: child.stderr! }).on("line", (line) => stderr.push(line));
  cleanups.push(async () => {
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGKILL");
    await exited;
    await rm(dir, { recursive: true, force: true });
  });
  const first = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once("line", resolve);
    child.once("exit", (code) => reject(new Error(`server exited with ${code}: ${stderr.join("\n")}`)));
  });
  const { url } = JSON.parse(first) as { url: string };
  return { url, port: Number(new URL(url).port), stderr };
}

interface SlowSocket {
  openedAt: number;
  closedAt: Promise<number>;
  received: () => string;
}

/** A connection from `from` that sends a request's headers one byte every `everyMs`, for ever. */
function slowloris(port: number, from: string, everyMs: number): SlowSocket {
  const socket: Socket = connect({ host: "127.0.0.1", port, localAddress: from });
  const openedAt = performance.now();
  let received = "";
  socket.on("data", (chunk: Buffer) => (received += chunk.toString("latin1")));
  socket.on("error", () => undefined);
  const bytes = Buffer.from(
    `GET ${apiPaths.entities()} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nX-Slow: ${"a".repeat(10_000)}`,
  );
  let sent = 0;
  const timer = setInterval(() => {
    if (socket.destroyed || sent >= bytes.length) return;
    if (socket.connecting) return;
    socket.write(bytes.subarray(sent, sent + 1));
    sent++;
  }, everyMs);
  const closedAt = new Promise<number>((resolve) =>
    socket.once("close", () => {
      clearInterval(timer);
      resolve(performance.now());
    }),
  );
  cleanups.push(async () => {
    clearInterval(timer);
    socket.destroy();
    await closedAt;
  });
  return { openedAt, closedAt, received: () => received };
}

/** A plain request from `from`; resolves with its status and how long it took. */
async function timedGet(port: number, from: string): Promise<{ status: number; ms: number }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const socket = connect({ host: "127.0.0.1", port, localAddress: from });
    let text = "";
    socket.on("data", (chunk: Buffer) => {
      text += chunk.toString("latin1");
      if (text.includes("\r\n\r\n")) {
        socket.destroy();
        resolve({ status: Number(text.slice(9, 12)), ms: performance.now() - started });
      }
    });
    socket.on("error", reject);
    socket.setTimeout(10_000, () => reject(new Error("no answer in 10 s")));
    socket.write(
      `GET ${apiPaths.entities()} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`,
    );
  });
}

test("1,000 slowloris connections from one address do not deny service to another client", async () => {
  const server = await startServerProcess({
    STEPWISE_HEADERS_TIMEOUT_S: "2",
    STEPWISE_REQUEST_TIMEOUT_S: "4",
    STEPWISE_IDLE_TIMEOUT_S: "3",
    STEPWISE_MAX_CONNECTIONS_PER_CLIENT: "100",
  });
  const slow = Array.from({ length: 1000 }, () => slowloris(server.port, "127.0.0.1", 100));
  await new Promise((resolve) => setTimeout(resolve, 1000));
  // Another client (127.0.0.2 is loopback too, but another address) is answered at once, while
  // the slow connections are still open.
  const other = await timedGet(server.port, "127.0.0.2");
  const answeredAt = performance.now();
  expect(other.status).toBe(200);
  expect(other.ms).toBeLessThan(2000);
  const closed = await Promise.all(
    slow.map((s) => s.closedAt.then((at) => ({ s, at, after: at - s.openedAt }))),
  );
  // Past the cap, connections are closed as they arrive, unanswered; the ones within it get a
  // 408 when the headers timeout (2 s, checked every 0.5 s) runs out. None lives on.
  const timedOut = closed.filter((c) => c.s.received() !== "");
  const cut = closed.filter((c) => c.s.received() === "");
  expect(cut.length).toBeGreaterThanOrEqual(880);
  expect(timedOut.length).toBeGreaterThan(0);
  expect(timedOut.length).toBeLessThanOrEqual(120);
  // The other client was answered while slow connections were still open.
  expect(timedOut.some((c) => c.at > answeredAt)).toBe(true);
  for (const { s, after } of timedOut) {
    expect(s.received()).toMatch(/^HTTP\/1\.1 408 /);
    expect(after).toBeGreaterThan(1800);
    expect(after).toBeLessThan(8000);
  }
  // And once they are gone, 127.0.0.1 itself is served again.
  expect((await timedGet(server.port, "127.0.0.1")).status).toBe(200);
  expect(server.stderr.some((line) => line.startsWith("refused connections from 127.0.0.1"))).toBe(true);
}, 30_000);

test("a request whose body stalls is closed at the idle timeout", async () => {
  const server = await startServerProcess({
    STEPWISE_HEADERS_TIMEOUT_S: "1",
    STEPWISE_REQUEST_TIMEOUT_S: "30",
    STEPWISE_IDLE_TIMEOUT_S: "1.5",
  });
  const socket = connect({ host: "127.0.0.1", port: server.port });
  socket.on("error", () => undefined);
  const openedAt = performance.now();
  const closedAt = new Promise<number>((resolve) => socket.once("close", () => resolve(performance.now())));
  socket.write(
    `POST ${apiPaths.ingest({ entity: "local", project: "p", runId: "r" })} HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\n` +
      'Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"history":',
  );
  const after = (await closedAt) - openedAt;
  expect(after).toBeGreaterThan(1400);
  expect(after).toBeLessThan(5000);
  // The cut-off body is the client's doing: no "internal error" in the server log.
  expect((await timedGet(server.port, "127.0.0.1")).status).toBe(200);
  expect(server.stderr.filter((line) => line.startsWith("internal error"))).toEqual([]);
}, 15_000);
