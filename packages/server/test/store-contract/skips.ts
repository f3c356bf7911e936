/**
 * Skipping a contract test for one backend, always with a stated reason: `storeContract(factory,
 * { skip: { "<test name>": "<why this backend cannot, and what covers it instead>" } })`. The
 * test shows as skipped with the reason as its note. A reason must say something, and a name
 * that matches no test fails the suite, so a renamed test cannot leave a stale skip behind.
 */
import { afterAll, beforeEach, type RunnerTask } from "vitest";

/** Test name (as in `it(name)`, or its full name with the topic) → why it is skipped here. */
export type ContractSkips = Readonly<Record<string, string>>;

export function registerSkips(skips: ContractSkips): void {
  const names = Object.keys(skips);
  for (const name of names) {
    if ((skips[name] ?? "").trim().length < 10)
      throw new Error(`store contract: the skip of '${name}' states no reason (say why, in a sentence)`);
  }
  beforeEach((context) => {
    const name = names.find((n) => n === context.task.name || n === context.task.fullName);
    if (name !== undefined) context.skip(`skipped on this backend: ${skips[name]}`);
  });
  // Checked against every test of the suite, run or filtered out (`-t`).
  // eslint-disable-next-line no-empty-pattern -- vitest requires a fixtures pattern first; the suite comes second
  afterAll(({}, suite) => {
    const tests = new Set<string>();
    const collect = (task: RunnerTask): void => {
      if (task.type === "suite") task.tasks.forEach(collect);
      else tests.add(task.name).add(task.fullName);
    };
    suite.tasks.forEach(collect);
    const stale = names.filter((n) => !tests.has(n));
    if (stale.length > 0)
      throw new Error(`store contract: skips name no test here: ${stale.map((n) => `'${n}'`).join(", ")}`);
  });
}
