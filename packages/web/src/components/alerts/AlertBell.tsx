/**
 * The header's notification list: a bell with the number of alerts newer than the last one seen
 * (kept in localStorage), opening the recent alerts of every project.
 */
import { useEffect, useState } from "react";
import { alertPaths } from "@stepwise/protocol";
import { parseSeenId, seenAfterOpening, unseenAlerts } from "../../lib/alert-seen.js";
import { AlertList } from "./AlertList.js";
import { useAlerts } from "./useAlerts.js";
import "../../styles/alerts.css";

const SEEN_KEY = "stepwise.alertsSeen";

function lastSeen(): number {
  try {
    return parseSeenId(localStorage.getItem(SEEN_KEY));
  } catch {
    return 0;
  }
}

export function AlertBell() {
  const { alerts } = useAlerts(alertPaths.recent(20), 10_000);
  const [open, setOpen] = useState(false);
  const [seen, setSeen] = useState(lastSeen);
  const unseen = unseenAlerts(alerts ?? [], seen);
  useEffect(() => {
    if (!open || alerts === null || alerts.length === 0) return;
    const newest = seenAfterOpening(alerts, lastSeen());
    setSeen(newest);
    try {
      localStorage.setItem(SEEN_KEY, String(newest));
    } catch {
      // Private mode: the count resets on reload, nothing else is lost.
    }
  }, [open, alerts]);
  return (
    <div className="alert-bell">
      <button
        type="button"
        aria-label={`Alerts${unseen > 0 ? ` (${unseen} new)` : ""}`}
        aria-expanded={open}
        data-testid="alert-bell"
        onClick={() => setOpen(!open)}
      >
        🔔
        {unseen > 0 && (
          <span className="alert-count" data-testid="alert-count">
            {unseen}
          </span>
        )}
      </button>
      {open && (
        <div className="alert-popover" role="dialog" aria-label="Recent alerts">
          {alerts === null || alerts.length === 0 ? (
            <p className="alert-empty">No alerts yet. Runs raise them with run.alert().</p>
          ) : (
            <AlertList alerts={alerts} showRun />
          )}
        </div>
      )}
    </div>
  );
}
