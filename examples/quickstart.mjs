// `npm start`: logs a short demo training run to ./stepwise and prints how to read it back.
// The same ten lines as the README's example, with a fake loss curve.
import * as stepwise from "@stepwise/sdk";

const run = await stepwise.init({ project: "quickstart", config: { lr: 0.01, epochs: 3 } });
run.defineMetric("val/acc", { summary: "max" });
for (let step = 0; step < 300; step++) {
  const loss = Math.exp(-step / 80) + 0.05 * Math.random();
  run.log({ "train/loss": loss, "val/acc": 1 - loss / 2, epoch: Math.floor(step / 100) });
}
run.summary.set("note", "demo");
await run.finish();
