/**
 * Resolves `init()` options once: defaults < environment < options (sdk.md), validated here so
 * that a bad value fails at `init()` with a message naming the option (or variable) and the fix.
 */
import { resolve } from "node:path";
import {
  LIMITS,
  NAME_PATTERN,
  nameProblem,
  notesProblem,
  RUN_ID_PATTERN,
  RUN_MODES,
  UsageError,
  type NameField,
  type RunMode,
} from "@stepwise/protocol";
import { credentialsPath, readCredentials, savedKeyFor } from "./credentials-file.js";
import { INIT_OPTION_NAMES, INIT_SETTING_NAMES, type InitOptions, type ResumeMode } from "./init-options.js";
import { unknownOptionMessage } from "./unknown-option.js";
import { resolveSurroundings, type SurroundingsSettings } from "./surroundings-settings.js";

export const DEFAULT_PROJECT = "uncategorized";
export const DEFAULT_ENTITY = "local";
export const DEFAULT_BASE_URL = "http://127.0.0.1:8080";
const RESUME_MODES: readonly ResumeMode[] = ["allow", "must", "never", "auto"];

export interface ResolvedSettings {
  project: string;
  entity: string;
  name: string | null;
  id: string | null;
  group: string;
  jobType: string;
  tags: string[];
  notes: string;
  config: Record<string, unknown>;
  mode: RunMode;
  resume: ResumeMode | null;
  rootDir: string;
  baseUrl: string;
  apiKey: string | null;
  quiet: boolean;
  silent: boolean;
  finishTimeoutMs: number;
  diskHoldBytes: number;
  /** What a stop request from the server does (settings.onStop). */
  onStop: () => void;
  /** consoleCapture, systemMetrics, systemMetricsIntervalMs (surroundings-settings.ts). */
  surroundings: SurroundingsSettings;
}

type Env = Record<string, string | undefined>;

export function resolveSettings(options: InitOptions = {}, env: Env = process.env): ResolvedSettings {
  checkOptionNames(options);
  const pick = (option: keyof InitOptions, variable: string): { value: unknown; source: string } | null => {
    if (options[option] !== undefined) return { value: options[option], source: `init() option "${option}"` };
    const fromEnv = env[variable];
    if (fromEnv !== undefined && fromEnv !== "")
      return { value: fromEnv, source: `environment variable ${variable}` };
    return null;
  };
  const text = (option: keyof InitOptions, variable: string, fallback: string): string => {
    const picked = pick(option, variable);
    if (picked === null) return fallback;
    if (typeof picked.value !== "string") throw new UsageError(`${picked.source} must be a string`);
    return picked.value;
  };
  let credentials: { baseUrl?: string; apiKey?: string } | null = null;
  const saved = (): { baseUrl?: string; apiKey?: string } =>
    (credentials ??= options.mode === "disabled" ? {} : readCredentials(credentialsPath(env)));
  // Where options and environment name no server or key, the `stepwise login` file does (read
  // only then, so a damaged file never fails an init() that names both).
  const baseUrl = checkBaseUrl(
    pick("baseUrl", "STEPWISE_BASE_URL") === null
      ? (saved().baseUrl ?? DEFAULT_BASE_URL)
      : text("baseUrl", "STEPWISE_BASE_URL", DEFAULT_BASE_URL),
    pick("baseUrl", "STEPWISE_BASE_URL")?.source ?? "the server saved by `stepwise login`",
  );
  const tagsPicked = pick("tags", "STEPWISE_TAGS");
  const modePicked = pick("mode", "STEPWISE_MODE");
  const resumePicked = pick("resume", "STEPWISE_RESUME");
  const idPicked = pick("id", "STEPWISE_RUN_ID");
  const settings = options.settings ?? {};
  const name = options.name;
  if (name !== undefined && typeof name !== "string")
    throw new UsageError('init() option "name" must be a string');
  // The limits table (protocol limits.ts): a name the server would refuse fails here, at the call.
  const limited = (field: NameField, value: string, source: string): string => {
    const problem = nameProblem(field, value);
    if (problem !== null) throw new UsageError(`${source} ${problem}`);
    return value;
  };
  const notes = text("notes", "STEPWISE_NOTES", "");
  const notesIssue = notesProblem(notes);
  if (notesIssue !== null) throw new UsageError(`init() option "notes" ${notesIssue}`);
  return {
    project: checkName("project", pick("project", "STEPWISE_PROJECT")),
    entity: checkName("entity", pick("entity", "STEPWISE_ENTITY")),
    name: name === undefined || name.trim() === "" ? null : limited("name", name, 'init() option "name"'),
    id: idPicked === null ? null : checkRunId(idPicked.value, idPicked.source),
    group: limited("group", text("group", "STEPWISE_RUN_GROUP", ""), 'init() option "group"'),
    jobType: limited("jobType", text("jobType", "STEPWISE_JOB_TYPE", ""), 'init() option "jobType"'),
    tags: tagsPicked === null ? [] : checkTags(tagsPicked.value, tagsPicked.source),
    notes,
    config: options.config ?? {},
    mode: modePicked === null ? "online" : checkEnum(modePicked.value, RUN_MODES, modePicked.source),
    resume: resumePicked === null ? null : checkEnum(resumePicked.value, RESUME_MODES, resumePicked.source),
    rootDir: resolve(text("dir", "STEPWISE_DIR", process.cwd())),
    baseUrl,
    apiKey:
      pick("apiKey", "STEPWISE_API_KEY") === null
        ? savedKeyFor(baseUrl, saved(), DEFAULT_BASE_URL)
        : text("apiKey", "STEPWISE_API_KEY", ""),
    quiet: settings.quiet ?? false,
    silent: settings.silent ?? isTruthy(env["STEPWISE_SILENT"]),
    finishTimeoutMs: settings.finishTimeoutMs ?? 60_000,
    diskHoldBytes: checkHoldBytes(settings.diskHoldBytes),
    onStop: settings.onStop ?? interruptSelf,
    surroundings: resolveSurroundings(settings, env),
  };
}

// W&B habits with no Stepwise equivalent get a sentence instead of a list of names.
const INIT_HINTS: Readonly<Record<string, string>> = {
  reinit:
    "a second init() returns the active run; call finish() on it first to start a new run in the same process",
};

/** Unknown names are refused, not ignored: `job_type` silently dropped is a run without its job type. */
function checkOptionNames(options: InitOptions): void {
  if (typeof options !== "object" || options === null || Array.isArray(options))
    throw new UsageError('init() takes an options object such as { project: "mnist" }');
  for (const key of Object.keys(options)) {
    if (!(INIT_OPTION_NAMES as readonly string[]).includes(key))
      throw new UsageError(`init(): ${unknownOptionMessage(key, INIT_OPTION_NAMES, INIT_HINTS[key])}`);
  }
  const settings: unknown = options.settings;
  if (settings === undefined) return;
  if (typeof settings !== "object" || settings === null || Array.isArray(settings))
    throw new UsageError('init() option "settings" must be an object such as { quiet: true }');
  for (const key of Object.keys(settings)) {
    if (!(INIT_SETTING_NAMES as readonly string[]).includes(key))
      throw new UsageError(`init() settings: ${unknownOptionMessage(key, INIT_SETTING_NAMES)}`);
  }
}

/** An http(s) URL with a host (trailing slashes dropped): anything else would fail every request later. */
function checkBaseUrl(value: string, source: string): string {
  const url = URL.canParse(value) ? new URL(value) : null;
  if (url === null || (url.protocol !== "http:" && url.protocol !== "https:") || url.hostname === "")
    throw new UsageError(
      `${source}: invalid server URL ${JSON.stringify(value)}; use http(s)://host:port, e.g. ${DEFAULT_BASE_URL}`,
    );
  if (url.search !== "" || url.hash !== "")
    throw new UsageError(
      `${source}: the server URL ${JSON.stringify(value)} has a query or fragment; give only http(s)://host:port[/path]`,
    );
  return value.replace(/\/+$/, "");
}

/** The default stop: SIGINT to this process, like Ctrl-C (exit hooks finish the run with 255). */
function interruptSelf(): void {
  process.kill(process.pid, "SIGINT");
}

const NAME_DEFAULTS = { project: DEFAULT_PROJECT, entity: DEFAULT_ENTITY } as const;

/** A project or entity name (they become URL path segments), or its default when none is given. */
function checkName(
  kind: keyof typeof NAME_DEFAULTS,
  picked: { value: unknown; source: string } | null,
): string {
  if (picked === null) return NAME_DEFAULTS[kind];
  const { value, source } = picked;
  if (typeof value !== "string" || !NAME_PATTERN.test(value)) {
    throw new UsageError(
      `${source}: invalid ${kind} name ${JSON.stringify(value)}; use 1–${LIMITS.entityNameLength} characters without / \\ # ? % :, control or bidirectional-text characters, and not . or ..`,
    );
  }
  return value;
}

function checkRunId(value: unknown, source: string): string {
  if (typeof value !== "string" || !RUN_ID_PATTERN.test(value)) {
    throw new UsageError(
      `${source}: invalid run id ${JSON.stringify(value)}; use 1–${LIMITS.runIdLength} characters without surrounding spaces, control or bidirectional-text characters or any of : ; , # ? / ' \\ %`,
    );
  }
  return value;
}

function checkTags(value: unknown, source: string): string[] {
  const tags =
    typeof value === "string"
      ? value
          .split(",")
          .map((t) => t.trim())
          .filter((t) => t !== "")
      : value;
  if (!Array.isArray(tags)) throw new UsageError(`${source} must be an array of strings`);
  const bad = tags.filter((t) => nameProblem("tag", t) !== null);
  if (bad.length > 0) {
    throw new UsageError(
      `${source}: invalid tags ${bad.map((t) => JSON.stringify(t)).join(", ")}; the tag ${JSON.stringify(bad[0])} ${nameProblem("tag", bad[0])} (each tag: 1–${LIMITS.tagLength} characters, no control or bidirectional-text character)`,
    );
  }
  const unique = [...new Set(tags as string[])];
  if (unique.length > LIMITS.tags)
    throw new UsageError(`${source}: ${unique.length} different tags; a run has at most ${LIMITS.tags}`);
  return unique;
}

function checkEnum<T extends string>(value: unknown, allowed: readonly T[], source: string): T {
  if (typeof value === "string" && (allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`${source} must be one of ${allowed.join(", ")}; got ${JSON.stringify(value)}`);
}

function isTruthy(value: string | undefined): boolean {
  return value !== undefined && ["1", "true", "yes", "on"].includes(value.toLowerCase());
}

function checkHoldBytes(value: number | undefined): number {
  if (value === undefined) return 64 * 1024 * 1024;
  if (!Number.isInteger(value) || value < 0)
    throw new UsageError(
      `init() option "settings.diskHoldBytes" must be a whole number of bytes ≥ 0 (default 67108864), got ${String(value)}`,
    );
  return value;
}
