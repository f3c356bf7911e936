/**
 * Console capture with a real child process and a real server: what the child printed on stdout
 * and stderr comes back from the server line for line, as a terminal shows it (a `\r` progress
 * bar as its last frame, once), with its stream and time; search, stream filter, the tail and a
 * tail cursor; `output.log`; the per-run bound and its notes; an offline run's console at sync.
 */
import { describe, expect, it } from "vitest";
import { Api, syncRunDirectory } from "../src/index.js";
import { useServerForFile } from "./support/server-process.js";
import {
  fetchConsole,
  runSurroundingsChild,
  runUrl,
  terminalLines,
  texts,
} from "./support/surroundings-child.js";

const { server, tempDir } = useServerForFile();

describe("console capture", () => {
  it("round-trips stdout and stderr exactly, a \\r progress bar as its last frame", async () => {
    const started = Date.now();
    const child = await runSurroundingsChild(tempDir(), { target: server.url, durationMs: 500 });
    expect(child.code, child.stderr).toBe(0);
    const { lines, total, next } = await fetchConsole(server.url, child.run);
    expect(total).toBe(lines.length);
    expect(next).toBe(total);
    expect(texts(lines, "stdout")).toEqual(terminalLines(child.stdout));
    expect(texts(lines, "stderr")).toEqual(terminalLines(child.stderr));
    // The bar is one line, its last frame; the earlier frames are nowhere.
    expect(lines.filter((line) => line.text.startsWith("training"))).toHaveLength(1);
    expect(texts(lines, "stdout")).toContain("training ########## 100%");
    expect(texts(lines, "stdout").at(-1)).toBe("last line without a newline");
    expect(lines.map((line) => line.index)).toEqual(lines.map((_, i) => i));
    for (const line of lines) {
      expect(line.time).toBeGreaterThanOrEqual(started - 1000);
      expect(line.time).toBeLessThanOrEqual(Date.now());
    }
    // Lines are in the order the process wrote them.
    expect(lines.map((line) => line.time)).toEqual([...lines.map((line) => line.time)].sort((a, b) => a - b));

    const log = await fetch(runUrl(server.url, child.run, "output.log"));
    expect(log.headers.get("content-disposition")).toContain("output.log");
    expect(await log.text()).toBe(lines.map((line) => line.text + "\n").join(""));

    const search = await fetchConsole(server.url, child.run, "&search=WARNING");
    expect(search.lines.map((line) => line.text)).toEqual(["a warning on stderr"]);
    const stderr = await fetchConsole(server.url, child.run, "&stream=stderr");
    expect(stderr.lines.map((line) => line.text)).toEqual(terminalLines(child.stderr));
    const tail = await fetchConsole(server.url, child.run, "&tail=true&limit=2");
    expect(tail.lines.map((line) => line.text)).toEqual(lines.slice(-2).map((line) => line.text));
    // A cursor: the first page's `next` continues exactly where it stopped.
    const first = await fetch(runUrl(server.url, child.run, "console?limit=3")).then((r) => r.json());
    const rest = await fetch(
      runUrl(server.url, child.run, `console?offset=${(first as { next: number }).next}`),
    ).then((r) => r.json());
    expect([...(first as typeof tail).lines, ...(rest as typeof tail).lines]).toEqual(lines);
  }, 60_000);

  it("refuses bad console queries with a 400 naming the field", async () => {
    const child = await runSurroundingsChild(tempDir(), {
      target: server.url,
      durationMs: 100,
      kind: "quiet",
    });
    for (const query of ["limit=0", "limit=abc", "stream=stdin", "offset=-1"]) {
      const response = await fetch(runUrl(server.url, child.run, `console?${query}`));
      expect(response.status, query).toBe(400);
      expect(await response.text()).toContain(query.split("=")[0] as string);
    }
    const unknown = await fetch(runUrl(server.url, { ...child.run, id: "nope" }, "console"));
    expect(unknown.status).toBe(404);
  }, 30_000);

  it("keeps at most the run's bound, then says so and how much was left out", async () => {
    const maxBytes = 50_000;
    const child = await runSurroundingsChild(tempDir(), {
      target: server.url,
      durationMs: 100,
      kind: "flood",
      env: { STEPWISE_CONSOLE_MAX_BYTES: String(maxBytes) },
    });
    expect(child.code, child.stderr).toBe(0);
    // The program's own output is untouched: every line reached its stdout.
    const printed = terminalLines(child.stdout);
    expect(printed).toHaveLength(20_000);
    const { lines } = await fetchConsole(server.url, child.run);
    const kept = lines.filter((line) => !line.text.startsWith("[stepwise]"));
    expect(kept.length).toBeGreaterThan(100);
    expect(kept.length).toBeLessThan(1000);
    expect(kept.map((line) => line.text)).toEqual(printed.slice(0, kept.length));
    const notes = lines.slice(kept.length).map((line) => line.text);
    expect(notes[0]).toMatch(/^\[stepwise\] console output over 50000 bytes: later output is not stored$/);
    const dropped = Number(/(\d+) bytes of console output after the/.exec(notes[1] ?? "")?.[1]);
    const printedBytes = Buffer.byteLength(child.stdout);
    const keptBytes = kept.reduce((sum, line) => sum + line.text.length + 1, 0);
    // What was left out is what the child printed beyond what was kept (give or take the last chunk).
    expect(dropped).toBeGreaterThan(printedBytes - keptBytes - 200_000);
    expect(dropped).toBeLessThanOrEqual(printedBytes - keptBytes);
  }, 60_000);

  it("sends an offline run's console at stepwise sync", async () => {
    const child = await runSurroundingsChild(tempDir(), { target: "offline", durationMs: 300 });
    expect(child.code, child.stderr).toBe(0);
    expect((await fetch(runUrl(server.url, child.run, "console"))).status).toBe(404);
    const result = await syncRunDirectory(child.run.dir, { baseUrl: server.url });
    expect(result.status, result.message ?? "").toBe("synced");
    const { lines } = await fetchConsole(server.url, child.run);
    expect(texts(lines, "stdout")).toEqual(terminalLines(child.stdout));
    expect(texts(lines, "stderr")).toEqual(terminalLines(child.stderr));
    // The Api client reads the same lines, with its filters.
    const remote = await new Api({ baseUrl: server.url }).run(
      `${child.run.entity}/${child.run.project}/${child.run.id}`,
    );
    expect((await remote.consoleLines()).lines).toEqual(lines);
    const stderr = await remote.consoleLines({ stream: "stderr", search: "THROWN" });
    expect(stderr.lines.map((line) => line.text)).toEqual(["shown, not thrown"]);
    expect((await remote.consoleLines({ tail: true, limit: 1 })).lines).toEqual(lines.slice(-1));
  }, 60_000);
});
