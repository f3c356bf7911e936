/**
 * `stepwise presets ls|get|put|rm`: the server's chart presets (protocol structured.ts), through
 * the Api client's HTTP door (api-http.ts), so errors keep their catalogued exit codes. Data goes
 * to stdout, messages to stderr.
 */
import { readFile } from "node:fs/promises";
import {
  chartPresetSchema,
  presetListResponseSchema,
  structuredPaths,
  UsageError,
  type ChartPreset,
  type PresetPutInput,
} from "@stepwise/protocol";
import { resolveApiConnection } from "../../api/api-connection.js";
import { ApiHttp } from "../../api/api-http.js";
import type { CliIo } from "../cli-io.js";
import { ExitCode } from "../exit-codes.js";
import { textTable } from "../format/text-table.js";
import type { Command } from "./command.js";
import { COMMAND_SUMMARIES } from "./command-summaries.js";
import { PRESETS_HELP } from "./presets/presets-help.js";
import { parsePresetsArgs } from "./presets/presets-options.js";

export const presetsCommand: Command = {
  name: "presets",
  summary: COMMAND_SUMMARIES.presets,
  run: runPresets,
};

async function runPresets(argv: string[], io: CliIo): Promise<number> {
  const options = parsePresetsArgs(argv);
  if (options === "help") {
    io.stdout.write(PRESETS_HELP);
    return ExitCode.ok;
  }
  const http = new ApiHttp(
    resolveApiConnection({
      ...(options.baseUrl === null ? {} : { baseUrl: options.baseUrl }),
      ...(options.apiKey === null ? {} : { apiKey: options.apiKey }),
    }),
  );
  switch (options.action) {
    case "ls": {
      const { presets } = await http.json("GET", structuredPaths.presets(), presetListResponseSchema);
      io.stdout.write(
        options.json ? presets.map((p) => `${JSON.stringify(p)}\n`).join("") : presetTable(presets),
      );
      return ExitCode.ok;
    }
    case "get": {
      const preset = await http.json("GET", structuredPaths.preset(options.id), chartPresetSchema);
      io.stdout.write(`${JSON.stringify(preset, null, 2)}\n`);
      return ExitCode.ok;
    }
    case "put": {
      const body = presetBody(options.id, await readInput(options.file), options.file);
      const saved = await http.json("PUT", structuredPaths.preset(options.id), chartPresetSchema, { body });
      if (options.json) io.stdout.write(`${JSON.stringify(saved)}\n`);
      io.stderr.write(`saved preset ${saved.id} on ${http.baseUrl} (fields: ${fieldList(saved)})\n`);
      return ExitCode.ok;
    }
    case "rm":
      await http.send("DELETE", structuredPaths.preset(options.id));
      io.stderr.write(`removed preset ${options.id} from ${http.baseUrl}\n`);
      return ExitCode.ok;
  }
}

/**
 * The preset to save: the file's object when it has a `spec`, else the file as a bare spec with
 * its slots as fields. A file `presets get` printed round-trips: the server's own fields
 * (`builtin`, `createdAt`, `updatedAt`) are dropped, and its `id` must name `<id>` (a built-in's
 * may differ: that is a copy, since a built-in cannot be replaced), so a file of one preset never
 * silently replaces another.
 */
export function presetBody(id: string, text: string, file: string): PresetPutInput {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${file}: not JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw new UsageError(
      `${file}: a preset is a JSON object (a Vega-Lite spec, or {"name", "fields", "spec", …})`,
    );
  const object = value as Record<string, unknown>;
  if ("spec" in object) {
    const { id: fileId, builtin, createdAt: _created, updatedAt: _updated, ...preset } = object;
    if (fileId !== undefined && fileId !== id && builtin !== true)
      throw new UsageError(
        `${file} is preset ${JSON.stringify(fileId)}, not ${id}: put it under that id, or delete its "id" to save a copy as ${id}`,
      );
    return { name: id, ...preset } as PresetPutInput;
  }
  const fields = new Set<string>();
  const strings = new Set<string>();
  for (const [, kind, name] of text.matchAll(/\$\{(field|string):([A-Za-z0-9_-]+)\}/g))
    (kind === "field" ? fields : strings).add(name as string);
  return {
    name: typeof object.title === "string" && !object.title.includes("${") ? object.title : id,
    fields: [...fields].map((name) => ({ name })),
    stringFields: [...strings].map((name) => ({ name })),
    spec: object,
  };
}

async function readInput(file: string): Promise<string> {
  if (file !== "-") return readFile(file, "utf8");
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks).toString("utf8");
}

function presetTable(presets: readonly ChartPreset[]): string {
  return textTable(
    ["id", "kind", "name", "fields"],
    presets.map((p) => [p.id, p.builtin ? "built-in" : "saved", p.name, fieldList(p)]),
  );
}

function fieldList(preset: ChartPreset): string {
  return preset.fields.map((f) => (f.required ? f.name : `${f.name}?`)).join(", ");
}
