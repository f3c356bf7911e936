// The README's ten-line example: a fake training run logged to the server at STEPWISE_BASE_URL
// (default http://127.0.0.1:8080; start one with `npx @stepwise/cli server`). The run is kept in
// ./stepwise too, so with no server it can be uploaded later with `npx stepwise sync`.
// Run it with `node examples/quickstart.mjs`.
import * as stepwise from "@stepwise/sdk";

const run = await stepwise.init({ project: "quickstart", config: { lr: 0.01, epochs: 3 } });
run.defineMetric("val/acc", { summary: "max" });
for (let step = 0; step < 300; step++) {
  const loss = Math.exp(-step / 80) + 0.05 * Math.random();
  run.log({ "train/loss": loss, "val/acc": 1 - loss / 2, epoch: Math.floor(step / 100) });
}
run.summary.set("note", "demo");
await run.finish();
