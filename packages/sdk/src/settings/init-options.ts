/** The options of `init()` (sdk.md "InitOptions"), with their defaults. */
import type { RunMode } from "@stepwise/protocol";

export type ResumeMode = "allow" | "must" | "never" | "auto";

export interface InitSettings {
  /** Print only warnings and the essentials (default false). */
  quiet?: boolean;
  /** Print nothing (default false; env STEPWISE_SILENT). */
  silent?: boolean;
  /**
   * How long `finish()` keeps waiting for uploads while the server acknowledges nothing
   * (default 60000). It waits as long as batches keep being acknowledged; after this long
   * without one (10 s when the server never answered during the run) it leaves the rest to
   * `stepwise sync` and says so.
   */
  finishTimeoutMs?: number;
  /**
   * Memory that holds records while the run's disk cannot be written (full, over quota),
   * written in order once space is back (default 64 MiB). Beyond it, history rows are dropped
   * and counted in `run.status().droppedRows`; `log()` never blocks on a full disk.
   */
  diskHoldBytes?: number;
  /** Capture stdout and stderr into the run (default true; env STEPWISE_CONSOLE=off turns it off). */
  consoleCapture?: boolean;
  /** Sample system metrics, CPU, memory, disk, network, GPUs (default true; env STEPWISE_SYSTEM_METRICS=false). */
  systemMetrics?: boolean;
  /** System metric sampling interval in ms (default 15000, at least 100). */
  systemMetricsIntervalMs?: number;
  /**
   * Called once when someone stops the run from the UI or API. Default: the process gets
   * SIGINT (W&B raises KeyboardInterrupt), so the run finishes with exit code 255 and the server
   * marks it `killed`; a program with its own SIGINT handler decides for itself.
   */
  onStop?: () => void;
}

export interface InitOptions {
  /** Project name (default "uncategorized"; env STEPWISE_PROJECT). At most 128 characters, none of / \ # ? % : */
  project?: string;
  /** Entity (team or user) owning the project (default "local"; env STEPWISE_ENTITY). */
  entity?: string;
  /** Display name (default generated `adjective-noun-N`). */
  name?: string;
  /** Run id (default 8 random characters [a-z0-9]; env STEPWISE_RUN_ID). */
  id?: string;
  /** Group for related runs (env STEPWISE_RUN_GROUP). */
  group?: string;
  /** Job type, e.g. "train" or "eval" (env STEPWISE_JOB_TYPE). */
  jobType?: string;
  /** Tags, each 1–64 characters (env STEPWISE_TAGS, comma separated). */
  tags?: string[];
  /** Free-form notes, Markdown (env STEPWISE_NOTES). */
  notes?: string;
  /** Initial config (hyperparameters). */
  config?: Record<string, unknown>;
  /** online (default), offline, or disabled (touches neither disk nor network). Env STEPWISE_MODE. */
  mode?: RunMode;
  /** Resume behaviour (env STEPWISE_RESUME): allow, must, never or auto (docs/upload.md "Resume"). */
  resume?: ResumeMode;
  /** Root of the local `stepwise/` folder (default the current directory; env STEPWISE_DIR). */
  dir?: string;
  /** Server URL (default http://127.0.0.1:8080; env STEPWISE_BASE_URL). */
  baseUrl?: string;
  /** API key (env STEPWISE_API_KEY). */
  apiKey?: string;
  settings?: InitSettings;
}

/** Every option name `init()` takes: any other name is refused with the nearest of these. */
export const INIT_OPTION_NAMES = [
  "project",
  "entity",
  "name",
  "id",
  "group",
  "jobType",
  "tags",
  "notes",
  "config",
  "mode",
  "resume",
  "dir",
  "baseUrl",
  "apiKey",
  "settings",
] as const satisfies ReadonlyArray<keyof InitOptions>;

export const INIT_SETTING_NAMES = [
  "quiet",
  "silent",
  "finishTimeoutMs",
  "diskHoldBytes",
  "consoleCapture",
  "systemMetrics",
  "systemMetricsIntervalMs",
  "onStop",
] as const satisfies ReadonlyArray<keyof InitSettings>;

// Compile-time: an option added to the interfaces but not to the lists above fails here.
type Unlisted = Exclude<keyof InitOptions, (typeof INIT_OPTION_NAMES)[number]>;
type UnlistedSetting = Exclude<keyof InitSettings, (typeof INIT_SETTING_NAMES)[number]>;
export const ALL_INIT_OPTIONS_LISTED: [Unlisted, UnlistedSetting] extends [never, never] ? true : never =
  true;
