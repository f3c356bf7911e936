/**
 * `@stepwise/cli`: the `stepwise` command with the server. `main(argv)` resolves to the exit code
 * (bin/stepwise.js sets it); `serverCommand` and `migrateCommand` are what the SDK's own bin runs
 * for `stepwise server` and `stepwise migrate` when this package is installed beside it.
 */
export { main } from "./main.js";
export { serverCommand } from "./commands/server.js";
export { migrateCommand } from "./commands/migrate.js";
