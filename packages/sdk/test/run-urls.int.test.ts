/**
 * The run and project URLs the SDK prints (the header of an online run) and returns (`run.url`,
 * `getProjectUrl()`) are percent-encoded, so a project named with spaces or non-ASCII letters
 * gives a link a terminal can open, and that link opens the run in the UI.
 */
import { afterEach, expect, it, vi } from "vitest";
import { init } from "../src/index.js";
import { useServerPerTest } from "./support/server-process.js";
import { useTempDirs } from "./support/temp-dir.js";

const tempDir = useTempDirs();
const startServer = useServerPerTest(tempDir);
afterEach(() => {
  vi.restoreAllMocks();
});

it("prints and returns encoded URLs for names with spaces and non-ASCII letters, and they open the run", async () => {
  const server = await startServer();
  const printed: string[] = [];
  vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
    printed.push(String(chunk));
    return true;
  });
  const run = await init({
    project: "my project ü",
    entity: "team one",
    id: "run+1",
    dir: tempDir(),
    baseUrl: server.url,
    settings: { finishTimeoutMs: 5000 },
  });
  run.log({ loss: 1 });
  await run.finish();
  vi.restoreAllMocks();
  const project = `${server.url}/team%20one/my%20project%20%C3%BC`;
  expect(run.getProjectUrl()).toBe(project);
  expect(run.url).toBe(`${project}/runs/run%2B1`);
  // Stepwise has no sweeps: like W&B for a run without a sweep, there is no sweep URL.
  expect(run.getSweepUrl()).toBeNull();
  const text = printed.join("");
  expect(text).toContain(`View project at ${project}\n`);
  expect(text).toContain(`View run at ${project}/runs/run%2B1\n`);
  // The link's segments decode to the names, and the server serves the UI page for it.
  const path = new URL(run.url ?? "").pathname.split("/").map(decodeURIComponent);
  expect(path).toEqual(["", "team one", "my project ü", "runs", "run+1"]);
  const page = await fetch(run.url ?? "");
  expect(page.status).toBe(200);
  const api = await fetch(`${server.url}/api/v1/runs/team%20one/my%20project%20%C3%BC/run%2B1`);
  expect(api.status).toBe(200);
});
