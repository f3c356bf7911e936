/**
 * The run's `metadata.json` and `diff.patch` (W&B's wandb-metadata.json and diff.patch): who ran
 * what, where, from which commit, on what hardware. Gathered after init() returns, with child
 * processes (git, nvidia-smi) that each get a short timeout: nothing here can fail or slow
 * init(), and a missing git or GPU only leaves its fields null or empty.
 */
import { execFile } from "node:child_process";
import { arch, cpus, hostname, platform, release, totalmem, userInfo } from "node:os";
import { SDK_VERSION } from "../version.js";

export interface RunMetadata {
  host: string;
  os: string;
  platform: string;
  arch: string;
  node: string;
  sdkVersion: string;
  program: string;
  args: string[];
  cwd: string;
  username: string | null;
  /** ISO 8601. */
  startedAt: string;
  cpuCount: number;
  memoryBytes: number;
  git: { remote: string | null; commit: string | null; dirty: boolean } | null;
  gpu: string[];
  gpuCount: number;
}

export interface GatheredRunFiles {
  metadata: RunMetadata;
  /** `git diff HEAD` when the tree is dirty; null when clean or not a repository. */
  diff: Buffer | null;
}

const COMMAND_TIMEOUT_MS = 5000;
/** A larger diff is left out (W&B caps its diff too): it would be uploaded with every run. */
const MAX_DIFF_BYTES = 16 * 1024 * 1024;

export async function gatherRunFiles(startedAt: Date, cwd = process.cwd()): Promise<GatheredRunFiles> {
  const [commit, remote, status, gpus] = await Promise.all([
    run("git", ["rev-parse", "HEAD"], cwd),
    run("git", ["config", "--get", "remote.origin.url"], cwd),
    run("git", ["status", "--porcelain", "--untracked-files=no"], cwd),
    run("nvidia-smi", ["--query-gpu=name", "--format=csv,noheader"], cwd),
  ]);
  const inRepo = commit !== null;
  const dirty = inRepo && status !== null && status.trim() !== "";
  const diff = dirty ? await runBuffer("git", ["diff", "HEAD"], cwd) : null;
  const gpu = (gpus ?? "")
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "");
  return {
    metadata: {
      ...staticMetadata(startedAt, cwd),
      git: inRepo ? { remote: remote?.trim() || null, commit: commit.trim(), dirty } : null,
      gpu,
      gpuCount: gpu.length,
    },
    diff: diff !== null && diff.length > 0 ? diff : null,
  };
}

/** What needs no child process (the metadata written when finish comes before the rest). */
export function staticMetadata(
  startedAt: Date,
  cwd = process.cwd(),
): Omit<RunMetadata, "git" | "gpu" | "gpuCount"> {
  let username: string | null = null;
  try {
    username = userInfo().username;
  } catch {
    // no passwd entry (containers)
  }
  return {
    host: hostname(),
    os: `${platform()}-${release()}`,
    platform: platform(),
    arch: arch(),
    node: process.version,
    sdkVersion: SDK_VERSION,
    program: process.argv[1] ?? "",
    args: process.argv.slice(2),
    cwd,
    username,
    startedAt: startedAt.toISOString(),
    cpuCount: cpus().length,
    memoryBytes: totalmem(),
  };
}

async function run(command: string, args: string[], cwd: string): Promise<string | null> {
  return (await runBuffer(command, args, cwd))?.toString("utf8") ?? null;
}

function runBuffer(command: string, args: string[], cwd: string): Promise<Buffer | null> {
  return new Promise((resolve) => {
    try {
      const child = execFile(
        command,
        args,
        {
          cwd,
          timeout: COMMAND_TIMEOUT_MS,
          maxBuffer: MAX_DIFF_BYTES,
          encoding: "buffer",
          windowsHide: true,
        },
        (error, stdout) => resolve(error ? null : stdout),
      );
      child.stdin?.end();
      // Neither the child nor its pipes keep a finished program alive.
      child.unref();
      for (const stream of [child.stdout, child.stderr])
        (stream as unknown as { unref?: () => void } | null)?.unref?.();
    } catch {
      resolve(null);
    }
  });
}
