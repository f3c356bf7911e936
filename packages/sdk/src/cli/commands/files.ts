/**
 * `stepwise files ls|get|put <entity/project/runId> …`: a run's files on the server — listed,
 * downloaded (resumable, sha256-checked) and uploaded (deduplicated, resumable) through the
 * SDK's file client. Data (the table, local paths, run paths, JSON lines) goes to stdout;
 * notes and the progress line to stderr.
 */
import { stat } from "node:fs/promises";
import { resolve } from "node:path";
import { NotFoundError, stringifyExtended, UsageError, type RunRef } from "@stepwise/protocol";
import { Api } from "../../api/api.js";
import { resolveApiConnection, type ApiConnection } from "../../api/api-connection.js";
import { parseRunPath } from "../../api/run-path.js";
import { downloadRunFile } from "../../files/file-client.js";
import { uploadLocalFile } from "../../files/upload-local-file.js";
import type { CliIo } from "../cli-io.js";
import { ExitCode } from "../exit-codes.js";
import { LineSink } from "../output/line-sink.js";
import type { Command } from "./command.js";
import { COMMAND_SUMMARIES } from "./command-summaries.js";
import { FILES_HELP } from "./files/files-help.js";
import { parseFilesArgs, type FilesCommandOptions } from "./files/files-options.js";
import { filesTable, formatBytes } from "./files/files-table.js";
import { TransferProgress } from "./files/transfer-progress.js";

export const filesCommand: Command = {
  name: "files",
  summary: COMMAND_SUMMARIES.files,
  run: runFiles,
};

type Options<A extends FilesCommandOptions["action"]> = Extract<FilesCommandOptions, { action: A }>;

async function runFiles(argv: string[], io: CliIo): Promise<number> {
  const options = parseFilesArgs(argv);
  if (options === "help") {
    io.stdout.write(FILES_HELP);
    return ExitCode.ok;
  }
  const connection = resolveApiConnection({
    ...(options.baseUrl === null ? {} : { baseUrl: options.baseUrl }),
    ...(options.apiKey === null ? {} : { apiKey: options.apiKey }),
  });
  // The run first: an unknown run is one clear error (exit 4) before anything is read or written.
  const api = new Api({
    baseUrl: connection.baseUrl,
    ...(connection.apiKey === null ? {} : { apiKey: connection.apiKey }),
  });
  const run = await api.run(options.run);
  const sink = new LineSink(io.stdout);
  try {
    if (options.action === "ls") {
      const files = (await run.files()).map((file) => ({
        path: file.path,
        size: file.size ?? 0,
        sha256: file.sha256 ?? "",
        contentType: file.contentType ?? "",
        updatedAt: file.updatedAt ?? 0,
      }));
      sink.add(
        options.json ? files.map((file) => stringifyExtended(file) + "\n").join("") : filesTable(files),
      );
      await sink.flush();
      return ExitCode.ok;
    }
    const ref = parseRunPath(options.run);
    return options.action === "get"
      ? await getFiles(connection, ref, options, sink, io)
      : await putFiles(connection, ref, options, sink, io);
  } finally {
    sink.release();
  }
}

async function getFiles(
  connection: ApiConnection,
  ref: RunRef,
  options: Options<"get">,
  sink: LineSink,
  io: CliIo,
): Promise<number> {
  let missing = 0;
  for (const path of options.paths) {
    const local = resolve(options.out, ...path.split("/"));
    const progress = new TransferProgress(io.stderr, io.stderrIsTty, `get ${path}`);
    let file;
    try {
      file = await downloadRunFile(connection, ref, path, local, {
        onProgress: (done, total) => progress.update(done, total),
      });
    } finally {
      progress.clear();
    }
    if (file === null) {
      missing++;
      io.stderr.write(`stepwise: error: run ${options.run} has no file '${path}'\n`);
      continue;
    }
    sink.add(options.json ? stringifyExtended({ ...file, local }) + "\n" : `${local}\n`);
    await sink.flush();
    io.stderr.write(`downloaded ${path} (${formatBytes(file.size)}) to ${local}\n`);
  }
  return missing === 0 ? ExitCode.ok : ExitCode.notFound;
}

async function putFiles(
  connection: ApiConnection,
  ref: RunRef,
  options: Options<"put">,
  sink: LineSink,
  io: CliIo,
): Promise<number> {
  // Every local file must be there before the first byte goes out.
  for (const local of options.localPaths) await checkLocalFile(local);
  for (const local of options.localPaths) {
    const progress = new TransferProgress(io.stderr, io.stderrIsTty, `put ${local}`);
    let result;
    try {
      result = await uploadLocalFile(connection, ref, local, {
        ...(options.name === null ? {} : { name: options.name }),
        onProgress: (done, total) => progress.update(done, total),
      });
    } finally {
      progress.clear();
    }
    const { file, bytesSent, deduplicated } = result;
    sink.add(
      options.json
        ? stringifyExtended({ ...file, local: resolve(local), bytesSent, deduplicated }) + "\n"
        : `${file.path}\n`,
    );
    await sink.flush();
    const sent = deduplicated
      ? "the server had this content already: nothing sent"
      : `${formatBytes(bytesSent)} sent`;
    io.stderr.write(`uploaded ${local} as ${file.path} (${formatBytes(file.size)}; ${sent})\n`);
  }
  return ExitCode.ok;
}

async function checkLocalFile(path: string): Promise<void> {
  const info = await stat(path).catch(() => null);
  if (info === null) throw new NotFoundError(`cannot upload ${path}: no such file`);
  if (!info.isFile())
    throw new UsageError(`cannot upload ${path}: it is not a file (name the files in a folder)`);
}
