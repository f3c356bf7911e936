/** A list of alerts, newest first: level, title, text, when, the run (optional), delivery and "late". */
import { Link } from "wouter";
import type { AlertDto } from "@stepwise/protocol";

const DELIVERY_LABEL: Record<AlertDto["delivery"], string> = {
  delivered: "delivered",
  pending: "delivering…",
  failed: "delivery failed",
  none: "no destination",
};

export function AlertList({ alerts, showRun }: { alerts: readonly AlertDto[]; showRun: boolean }) {
  return (
    <ul className="alert-list" data-testid="alert-list">
      {alerts.map((alert) => (
        <li
          key={alert.id}
          className={`alert-item alert-${alert.level.toLowerCase()}`}
          data-testid="alert-item"
        >
          <div className="alert-head">
            <span className="alert-level">{alert.level}</span>
            <strong className="alert-title">{alert.title}</strong>
            {alert.late && (
              <span className="alert-late" title="Raised while the run was offline; delivered at sync">
                late
              </span>
            )}
          </div>
          {alert.text !== "" && <p className="alert-text">{alert.text}</p>}
          <div className="alert-meta">
            <time dateTime={new Date(alert.time * 1000).toISOString()}>
              {new Date(alert.time * 1000).toLocaleString()}
            </time>
            <span>step {alert.step}</span>
            {showRun && (
              <Link
                href={`/${encodeURIComponent(alert.entity)}/${encodeURIComponent(alert.project)}/runs/${encodeURIComponent(alert.runId)}`}
              >
                {alert.project} / {alert.runName}
              </Link>
            )}
            <span
              className={`alert-delivery alert-delivery-${alert.delivery}`}
              title={alert.attempts
                .map((a) => `${a.destination} #${a.attempt}: ${a.ok ? "ok" : (a.error ?? "failed")}`)
                .join("\n")}
            >
              {DELIVERY_LABEL[alert.delivery]}
            </span>
          </div>
        </li>
      ))}
    </ul>
  );
}
