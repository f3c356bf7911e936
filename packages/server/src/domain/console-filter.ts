/**
 * Which stored console lines a `GET …/console` answers: parsed (protocol console.ts), filtered
 * by stream and by a case-insensitive search text, numbered by their offset in the stream.
 */
import { parseConsoleLine, type ConsoleLine, type ConsoleStream } from "@stepwise/protocol";

export interface ConsoleFilter {
  search?: string | undefined;
  stream?: ConsoleStream | undefined;
}

export type IndexedConsoleLine = ConsoleLine & { index: number };

export function matchConsoleLines(
  raw: readonly string[],
  from: number,
  filter: ConsoleFilter,
): IndexedConsoleLine[] {
  const needle = filter.search === undefined || filter.search === "" ? null : filter.search.toLowerCase();
  const out: IndexedConsoleLine[] = [];
  raw.forEach((body, i) => {
    const line = parseConsoleLine(body);
    if (filter.stream !== undefined && line.stream !== filter.stream) return;
    if (needle !== null && !line.text.toLowerCase().includes(needle)) return;
    out.push({ index: from + i, ...line });
  });
  return out;
}

/** The text of `output.log`: each line as the process printed it (the last state of a `\r` line). */
export function outputLogText(raw: readonly string[]): string {
  let text = "";
  for (const body of raw) text += parseConsoleLine(body).text + "\n";
  return text;
}
