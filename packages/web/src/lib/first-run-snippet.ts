/**
 * What the empty states show: the few lines that log a first run, for a given project, and the
 * environment line that points the SDK at this server when it is not the SDK's default.
 */

const SDK_DEFAULT_URL = "http://127.0.0.1:8080";

/** The SDK's default entity: other entities must be named in `init`. */
const SDK_DEFAULT_ENTITY = "local";

export function firstRunSnippet(project = "my-project", entity = SDK_DEFAULT_ENTITY): string {
  const where =
    entity === SDK_DEFAULT_ENTITY
      ? `project: ${JSON.stringify(project)}`
      : `entity: ${JSON.stringify(entity)}, project: ${JSON.stringify(project)}`;
  return [
    `import { init } from "@stepwise/sdk";`,
    `const run = await init({ ${where} });`,
    `for (let step = 0; step < 100; step++) run.log({ "train/loss": 1 / (step + 1) });`,
    `await run.finish();`,
  ].join("\n");
}

/** `STEPWISE_BASE_URL=…` for a server the SDK would not find by default; null when it would. */
export function baseUrlHint(origin: string): string | null {
  const normalised = origin.replace("//localhost:", "//127.0.0.1:");
  return normalised === SDK_DEFAULT_URL ? null : `STEPWISE_BASE_URL=${origin}`;
}
