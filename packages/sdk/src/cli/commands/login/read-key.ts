/**
 * Reads an API key from standard input: a pasted line at a terminal, or whatever a pipe sends
 * (`cat key | stepwise login`). Keeping it off the command line keeps it out of shell history.
 */
import { createInterface } from "node:readline/promises";
import type { Readable, Writable } from "node:stream";
import { text } from "node:stream/consumers";

export async function readKey(stdin: Readable & { isTTY?: boolean }, prompt: Writable): Promise<string> {
  if (stdin.isTTY !== true) return (await text(stdin)).trim();
  const lines = createInterface({ input: stdin, output: prompt, terminal: false });
  try {
    return (await lines.question("Paste your API key (from <data>/admin-key or your admin): ")).trim();
  } finally {
    lines.close();
  }
}
