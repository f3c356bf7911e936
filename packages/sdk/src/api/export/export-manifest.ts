/**
 * `.stepwise-export.jsonl` in the output folder: one line per file written completely (after
 * its rename), saying which run it holds and how many history rows the server had for it. A
 * rerun skips a run whose file exists and whose line matches the run as the server has it now
 * (same rows, not running); anything else is exported again, replacing the file whole. A line
 * cut short by a crash is ignored (that run is exported again, never appended to).
 */
import { appendFile, readFile } from "node:fs/promises";
import { join } from "node:path";

export const MANIFEST_FILE = ".stepwise-export.jsonl";

export interface ManifestEntry {
  run: string;
  file: string;
  format: string;
  rows: number;
  state: string;
  bytes: number;
}

export class ExportManifest {
  private constructor(
    private readonly path: string,
    private readonly entries: Map<string, ManifestEntry>,
  ) {}

  static async open(folder: string): Promise<ExportManifest> {
    const path = join(folder, MANIFEST_FILE);
    const entries = new Map<string, ManifestEntry>();
    const text = await readFile(path, "utf8").catch((error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT") return "";
      throw error;
    });
    for (const line of text.split("\n")) {
      const entry = parseEntry(line);
      if (entry) entries.set(entry.file, entry);
    }
    return new ExportManifest(path, entries);
  }

  /** The entry of a completed file, or undefined. */
  get(file: string): ManifestEntry | undefined {
    return this.entries.get(file);
  }

  async add(entry: ManifestEntry): Promise<void> {
    this.entries.set(entry.file, entry);
    await appendFile(this.path, JSON.stringify(entry) + "\n");
  }
}

function parseEntry(line: string): ManifestEntry | null {
  if (line.trim() === "") return null;
  try {
    const value = JSON.parse(line) as Partial<ManifestEntry>;
    if (typeof value.file !== "string" || typeof value.rows !== "number" || typeof value.run !== "string")
      return null;
    return value as ManifestEntry;
  } catch {
    return null;
  }
}
