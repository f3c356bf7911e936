// A run for e2e/system-section.spec.ts and e2e/logs-tab.spec.ts: samples system metrics every
// 200 ms and prints to stdout and stderr (ANSI colours, a `\r` progress bar) while it logs. With
// "live" it prints "tick <n>" every 200 ms until killed; otherwise it finishes after ~2 s.
// Prints "id <runId>" on fd 3 (its stdout is what the run captures). argv: baseUrl apiKey dir project live|done
import { writeSync } from "node:fs";
import { init } from "@stepwise/sdk";

const [baseUrl, apiKey, dir, project, mode] = process.argv.slice(2);
const run = await init({
  baseUrl,
  apiKey,
  dir,
  project,
  name: `${mode}-run`,
  settings: { silent: true, systemMetricsIntervalMs: 200 },
});
writeSync(3, `id ${run.id}\n`);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
console.log("starting \u001b[31mred alert\u001b[0m training");
console.error("a warning on stderr");
for (let pct = 0; pct <= 100; pct += 25) {
  process.stdout.write(`\rprogress ${pct}%`);
  await sleep(30);
}
process.stdout.write("\n");
for (let step = 0; mode === "live" || step < 10; step++) {
  run.log({ loss: 1 / (step + 1) });
  console.log(`tick ${step}`);
  await sleep(200);
}
await run.finish();
writeSync(3, "done\n");
