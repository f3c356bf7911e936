/**
 * Where the server delivers alerts (`run.alert`), read once by `loadConfig`: generic JSON
 * webhooks and Slack-compatible incoming webhooks, from flags, the environment, or a JSON file
 * of destinations; plus how long one delivery may take and how often it is tried.
 */
import { readFileSync } from "node:fs";
import { ALERT_LEVELS, UsageError } from "@stepwise/protocol";
import { z } from "zod";

export const ALERT_DESTINATION_KINDS = ["webhook", "slack"] as const;

export interface AlertDestination {
  /** Shown in the delivery log; unique. Default: the kind and the URL's host. */
  name: string;
  /** `webhook`: the alert as JSON; `slack`: a Slack incoming-webhook message (`text` + `blocks`). */
  kind: (typeof ALERT_DESTINATION_KINDS)[number];
  url: string;
  /** Levels delivered here; default all. */
  levels: ReadonlyArray<(typeof ALERT_LEVELS)[number]>;
}

export interface AlertDeliveryConfig {
  destinations: AlertDestination[];
  /** One try gives up after this long (a hung webhook). Default 10 s (`--alert-timeout`, `STEPWISE_ALERT_TIMEOUT_S`). */
  timeoutS: number;
  /** Tries per alert and destination before it is marked failed. Default 5 (`--alert-attempts`, `STEPWISE_ALERT_ATTEMPTS`). */
  maxAttempts: number;
  /** First retry after this long, doubling up to 5 minutes. Default 2 s (`STEPWISE_ALERT_RETRY_S`). */
  retryS: number;
}

export interface AlertConfigFlags {
  /** Generic JSON webhook URLs, comma-separated (`--alert-webhook`, `STEPWISE_ALERT_WEBHOOK`). */
  alertWebhook?: string;
  /** Slack incoming-webhook URLs, comma-separated (`--alert-slack-webhook`, `STEPWISE_ALERT_SLACK_WEBHOOK`). */
  alertSlackWebhook?: string;
  /** A JSON file: `[{ "name"?, "kind": "webhook"|"slack", "url", "levels"? }]` (`--alert-destinations`, `STEPWISE_ALERT_DESTINATIONS`). */
  alertDestinations?: string;
  alertTimeoutS?: string | number;
  alertAttempts?: string | number;
  alertRetryS?: string | number;
}

const urlSchema = z
  .string()
  .trim()
  .url()
  .refine((url) => /^https?:\/\//i.test(url), "an http:// or https:// URL");

const destinationSchema = z.object({
  name: z.string().trim().min(1).max(128).optional(),
  kind: z.enum(ALERT_DESTINATION_KINDS),
  url: urlSchema,
  levels: z.array(z.enum(ALERT_LEVELS)).min(1).optional(),
});

export function loadAlertConfig(flags: AlertConfigFlags, env: NodeJS.ProcessEnv): AlertDeliveryConfig {
  const destinations: AlertDestination[] = [];
  const add = (kind: AlertDestination["kind"], raw: unknown, source: string, name?: string): void => {
    const parsed = destinationSchema.safeParse({ kind, url: raw, ...(name ? { name } : {}) });
    if (!parsed.success)
      throw new UsageError(`${source} must be an http:// or https:// URL; got ${JSON.stringify(raw)}`);
    destinations.push(withDefaults(parsed.data));
  };
  for (const url of list(flags.alertWebhook ?? env["STEPWISE_ALERT_WEBHOOK"]))
    add("webhook", url, flags.alertWebhook ? "--alert-webhook" : "STEPWISE_ALERT_WEBHOOK");
  for (const url of list(flags.alertSlackWebhook ?? env["STEPWISE_ALERT_SLACK_WEBHOOK"]))
    add("slack", url, flags.alertSlackWebhook ? "--alert-slack-webhook" : "STEPWISE_ALERT_SLACK_WEBHOOK");
  const file = flags.alertDestinations ?? env["STEPWISE_ALERT_DESTINATIONS"];
  if (file !== undefined && file !== "") destinations.push(...readDestinationsFile(file));
  const names = new Set<string>();
  for (const destination of destinations) {
    if (names.has(destination.name))
      throw new UsageError(
        `two alert destinations are named ${JSON.stringify(destination.name)}: give each its own name`,
      );
    names.add(destination.name);
  }
  return {
    destinations,
    timeoutS: number(flags.alertTimeoutS ?? env["STEPWISE_ALERT_TIMEOUT_S"], 10, 0.1, 600, "--alert-timeout"),
    maxAttempts: Math.floor(
      number(flags.alertAttempts ?? env["STEPWISE_ALERT_ATTEMPTS"], 5, 1, 100, "--alert-attempts"),
    ),
    retryS: number(
      flags.alertRetryS ?? env["STEPWISE_ALERT_RETRY_S"],
      2,
      0.01,
      3600,
      "STEPWISE_ALERT_RETRY_S",
    ),
  };
}

function readDestinationsFile(file: string): AlertDestination[] {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new UsageError(`--alert-destinations: cannot read ${file} as JSON (${String(error)})`);
  }
  const parsed = z.array(destinationSchema).max(100).safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const at = issue?.path.join(".") ?? "";
    throw new UsageError(
      `--alert-destinations ${file}: ${at === "" ? "" : `[${at}] `}${issue?.message ?? "invalid"}; ` +
        'expected [{ "kind": "webhook" | "slack", "url": "https://…", "name"?: "…", "levels"?: ["ERROR"] }]',
    );
  }
  return parsed.data.map(withDefaults);
}

function withDefaults(parsed: z.infer<typeof destinationSchema>): AlertDestination {
  return {
    name: parsed.name ?? `${parsed.kind}:${new URL(parsed.url).host}`,
    kind: parsed.kind,
    url: parsed.url,
    levels: parsed.levels ?? ALERT_LEVELS,
  };
}

function list(raw: string | undefined): string[] {
  return (raw ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
}

function number(raw: unknown, fallback: number, min: number, max: number, source: string): number {
  if (raw === undefined || raw === "") return fallback;
  const value = typeof raw === "number" ? raw : Number(raw);
  if (!Number.isFinite(value) || value < min || value > max)
    throw new UsageError(`${source} must be a number from ${min} to ${max}; got ${JSON.stringify(raw)}`);
  return value;
}
