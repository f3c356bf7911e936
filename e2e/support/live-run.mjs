// Live-run child for e2e/live-updates.spec.ts: an online run that logs `loss` every 50 ms until it
// is killed, printing "id <runId>" once and "step <n>" as it goes. argv: baseUrl apiKey dir project.
import { init } from "@stepwise/sdk";

const [baseUrl, apiKey, dir, project] = process.argv.slice(2);
const run = await init({ baseUrl, apiKey, dir, project, name: "live-run", settings: { silent: true } });
process.stdout.write(`id ${run.id}\n`);
for (let step = 0; ; step++) {
  run.log({ loss: 1 / (step + 1) });
  process.stdout.write(`step ${step}\n`);
  await new Promise((resolve) => setTimeout(resolve, 50));
}
