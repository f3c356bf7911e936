/**
 * The body each kind of destination gets for an alert: a generic webhook the alert as JSON
 * (`type: "stepwise.alert"`); a Slack-compatible incoming webhook a message with `text` (the
 * fallback every Slack-compatible receiver shows) and `blocks` (title, text, run link, level).
 */
import type { AlertDestination } from "./alert-config.js";
import type { DueDelivery } from "../store/alert-store.js";

const LEVEL_EMOJI = { INFO: ":information_source:", WARN: ":warning:", ERROR: ":rotating_light:" } as const;

export function runUrlOf(baseUrl: string, alert: DueDelivery): string {
  return `${baseUrl}/${encodeURIComponent(alert.entity)}/${encodeURIComponent(alert.project)}/runs/${encodeURIComponent(alert.runId)}`;
}

export function alertPayload(kind: AlertDestination["kind"], alert: DueDelivery, baseUrl: string): unknown {
  const url = runUrlOf(baseUrl, alert);
  if (kind === "webhook") {
    return {
      type: "stepwise.alert",
      id: alert.alertId,
      title: alert.title,
      text: alert.text,
      level: alert.level,
      step: alert.step,
      time: alert.time,
      late: alert.late,
      run: { entity: alert.entity, project: alert.project, id: alert.runId, name: alert.runName, url },
    };
  }
  const late = alert.late ? " (delivered late: the run was offline)" : "";
  const heading = `${LEVEL_EMOJI[alert.level]} *${escapeSlack(alert.title)}*${late}`;
  return {
    text: `${alert.level}: ${alert.title}${late}\n${alert.text}`,
    blocks: [
      { type: "section", text: { type: "mrkdwn", text: `${heading}\n${escapeSlack(alert.text)}` } },
      {
        type: "context",
        elements: [
          {
            type: "mrkdwn",
            text: `<${url}|${escapeSlack(alert.runName)}> · ${escapeSlack(`${alert.entity}/${alert.project}`)} · step ${alert.step} · ${alert.level}`,
          },
        ],
      },
    ],
  };
}

/** Slack mrkdwn's three control characters (its documented escaping). */
function escapeSlack(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
