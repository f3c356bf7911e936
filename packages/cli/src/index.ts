/**
 * `@stepwise/cli`: the `stepwise` command with the server. `main(argv)` resolves to the exit code
 * (bin/stepwise.js sets it); `serverCommand` is what the SDK's own bin runs for `stepwise server`
 * when this package is installed beside it.
 */
export { main } from "./main.js";
export { serverCommand } from "./commands/server.js";
