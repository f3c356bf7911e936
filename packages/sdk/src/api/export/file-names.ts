/**
 * File names for exported runs: a run id may hold spaces, non-ASCII letters or characters some
 * file systems refuse, so every character outside [A-Za-z0-9_-] (and a dot) becomes %HH of its
 * UTF-8 bytes. The mapping is one-to-one: two runs never share a file.
 */
export function runFileName(runId: string, extension: string): string {
  let name = "";
  for (const byte of new TextEncoder().encode(runId)) {
    const char = String.fromCharCode(byte);
    name += /[A-Za-z0-9_-]/.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return `${name}.${extension}`;
}

/** The extension of each export format. */
export const FORMAT_EXTENSIONS = { jsonl: "jsonl", csv: "csv", parquet: "parquet" } as const;

/** Where a file is written before it is complete: hidden, and removed by the next export into the folder. */
export function partialName(fileName: string): string {
  return `.${fileName}.partial`;
}

export function isPartialName(fileName: string): boolean {
  return fileName.startsWith(".") && fileName.endsWith(".partial");
}
