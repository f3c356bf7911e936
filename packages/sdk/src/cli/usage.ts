/** `stepwise --help`: the commands that exist today, each with its one-line summary. */
import type { Command } from "./commands/command.js";

export function usage(commands: readonly Command[]): string {
  const width = Math.max(...commands.map((command) => command.name.length)) + 4;
  const list = commands.map((command) => `  ${command.name.padEnd(width)}${command.summary}`).join("\n");
  return `Usage: stepwise <command> [options]

Commands:
${list}

Options:
  -h, --help    show this help
  --version     print the version

Run 'stepwise <command> --help' for a command's options.
`;
}
