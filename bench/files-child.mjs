// A process of bench/files.mjs. Two modes:
//   receive <to>                          listens on a loopback port (printed), writes what one
//                                         connection sends to <to>, fsyncs, prints the byte count
//   save <url> <dir> <glob> [basePath]    an online run saves <glob> with policy "now" and waits
//                                         until the server holds every saved file; prints one
//                                         JSON line: seconds, RSS growth, bytes this process wrote
import { createWriteStream, fsyncSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { init } from "@stepwise/sdk";

const [mode, ...args] = process.argv.slice(2);

if (mode === "receive") {
  const [to] = args;
  const server = createServer((socket) => {
    const out = createWriteStream(to);
    let bytes = 0;
    socket.on("data", (chunk) => (bytes += chunk.length));
    socket.pipe(out);
    out.on("finish", () => {
      fsyncSync(out.fd ?? 0);
      process.stdout.write(`${bytes}\n`);
      server.close();
    });
  });
  server.listen(0, "127.0.0.1", () => process.stdout.write(`${server.address().port}\n`));
} else if (mode === "save") {
  const [baseUrl, dir, glob, basePath] = args;
  const run = await init({
    dir,
    baseUrl,
    project: "bench-files",
    settings: { silent: true, finishTimeoutMs: 600_000 },
  });
  // Let the run's own first files (metadata.json, config.json) go first: they are not measured.
  await waitForFiles(run, 0);
  const rssBefore = process.memoryUsage().rss;
  const wcharBefore = wchar();
  const started = performance.now();
  const saved = run.save(glob, { policy: "now", ...(basePath ? { basePath } : {}) });
  if (saved.length === 0) throw new Error(`nothing matched ${glob}`);
  const uploadedBefore = (await run.status()).filesUploaded;
  await waitForFiles(run, uploadedBefore + saved.length);
  const seconds = (performance.now() - started) / 1000;
  const bytesWritten = wchar() - wcharBefore;
  const rssGrowthMiB = (statusKiB("VmHWM") * 1024 - rssBefore) / (1024 * 1024);
  await run.finish();
  process.stdout.write(JSON.stringify({ seconds, rssGrowthMiB, bytesWritten, files: saved.length }) + "\n");
} else {
  throw new Error(`unknown mode ${mode}`);
}

/** Until nothing is pending and at least `uploaded` files are on the server. */
async function waitForFiles(run, uploaded) {
  for (;;) {
    const status = await run.status();
    if (status.filesFailed > 0) throw new Error(`${status.filesFailed} files failed to upload`);
    if (status.filesPending === 0 && status.filesUploaded >= uploaded) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function wchar() {
  return Number(/^wchar: (\d+)/m.exec(readFileSync("/proc/self/io", "utf8"))?.[1] ?? 0);
}

function statusKiB(field) {
  return Number(
    new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(readFileSync("/proc/self/status", "utf8"))?.[1] ?? 0,
  );
}
