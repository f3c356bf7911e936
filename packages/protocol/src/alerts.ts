/**
 * Alerts (`run.alert`): a title, a text and a level, raised by the training code and delivered by
 * the server to the webhooks an operator configures. An alert is a record of the run log and an
 * item of the ingest batch's meta stream, so it is durable and ordered like the rest of the run;
 * an offline run's alerts reach the server at `stepwise sync` and are marked late there. The
 * rules for title, text and level live here once: the SDK checks them at the call, the server on
 * ingest.
 */
import { z } from "zod";

export const ALERT_LEVELS = ["INFO", "WARN", "ERROR"] as const;
export const alertLevelSchema = z.enum(ALERT_LEVELS);
export type AlertLevel = z.infer<typeof alertLevelSchema>;

/** Title: 1–63 characters (under 64, as W&B's alert titles); text: up to 4,096 (a Slack section holds 3,000 in one block). */
export const ALERT_LIMITS = { titleLength: 63, textLength: 4096 } as const;

/**
 * An alert is delivered late when it reaches the server more than this many seconds after it was
 * raised (or comes with a `stepwise sync` replay): its delivery says so, the UI marks it.
 */
export const ALERT_LATE_AFTER_S = 60;

/** The record in the run log and in the ingest batch's meta stream. */
export const alertRecordSchema = z.object({
  t: z.literal("alert"),
  title: z.string().min(1).max(ALERT_LIMITS.titleLength),
  text: z.string().max(ALERT_LIMITS.textLength),
  level: alertLevelSchema,
  /** Unix seconds (float) at which `run.alert()` was called. */
  time: z.number().finite(),
  /** The run's step at the call. */
  step: z.number().int().nonnegative(),
});
export type AlertRecord = z.infer<typeof alertRecordSchema>;

/** What is wrong with an alert's title, text or level, naming the field and the fix; null when none. */
export function alertProblem(title: unknown, text: unknown, level: unknown): string | null {
  if (typeof title !== "string" || title.trim() === "")
    return "alert title must be a non-empty string (e.g. run.alert({ title: 'Loss diverged', text: '…' }))";
  if (title.length > ALERT_LIMITS.titleLength)
    return `alert title is ${title.length} characters; it must be under 64 (at most ${ALERT_LIMITS.titleLength}): shorten it and put details in text`;
  if (typeof text !== "string") return "alert text must be a string";
  if (text.length > ALERT_LIMITS.textLength)
    return `alert text is ${text.length} characters; at most ${ALERT_LIMITS.textLength} are kept: shorten it`;
  // PostgreSQL text cannot hold U+0000: refused on every backend, at run.alert() in the SDK.
  if (title.includes("\u0000") || text.includes("\u0000"))
    return `alert ${title.includes("\u0000") ? "title" : "text"} holds U+0000 (NUL), which an alert may not hold: remove it`;
  if (!(ALERT_LEVELS as readonly unknown[]).includes(level))
    return `alert level ${JSON.stringify(level)} is unknown: use one of ${ALERT_LEVELS.join(", ")}`;
  return null;
}

export const ALERT_DELIVERY_STATES = ["pending", "delivered", "failed", "none"] as const;
export type AlertDeliveryState = (typeof ALERT_DELIVERY_STATES)[number];

/** One try to deliver an alert to one destination. */
export const alertAttemptDtoSchema = z.object({
  destination: z.string(),
  attempt: z.number().int(),
  /** Unix seconds. */
  at: z.number(),
  ok: z.boolean(),
  /** HTTP status, or null when no answer came (timeout, refused connection). */
  status: z.number().int().nullable(),
  error: z.string().nullable(),
  ms: z.number(),
});
export type AlertAttemptDto = z.infer<typeof alertAttemptDtoSchema>;

export const alertDtoSchema = z.object({
  id: z.number().int(),
  entity: z.string(),
  project: z.string(),
  runId: z.string(),
  runName: z.string(),
  title: z.string(),
  text: z.string(),
  level: alertLevelSchema,
  step: z.number().int(),
  /** Unix seconds at which the run raised it. */
  time: z.number(),
  /** Unix seconds at which the server received it. */
  receivedAt: z.number(),
  late: z.boolean(),
  /** Over every destination: delivered (all), failed (any gave up), pending, or none configured. */
  delivery: z.enum(ALERT_DELIVERY_STATES),
  attempts: z.array(alertAttemptDtoSchema),
});
export type AlertDto = z.infer<typeof alertDtoSchema>;

export const alertListResponseSchema = z.object({ alerts: z.array(alertDtoSchema) });
export type AlertListResponse = z.infer<typeof alertListResponseSchema>;

const enc = encodeURIComponent;
/** The alert routes (server http/routes/alert-routes.ts), newest first, `limit` 1–1,000 (default 100). */
export const alertPaths = {
  recent: (limit?: number): string => `/api/v1/alerts${limit === undefined ? "" : `?limit=${limit}`}`,
  project: (entity: string, project: string): string => `/api/v1/alerts/${enc(entity)}/${enc(project)}`,
  run: (ref: { entity: string; project: string; runId: string }): string =>
    `/api/v1/runs/${enc(ref.entity)}/${enc(ref.project)}/${enc(ref.runId)}/alerts`,
};
