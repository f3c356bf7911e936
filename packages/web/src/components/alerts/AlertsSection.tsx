/** Alerts of one run (run page) or one project (workspace), shown only when there are some. */
import type { ReactNode } from "react";
import { AlertList } from "./AlertList.js";
import { useAlerts } from "./useAlerts.js";
import "../../styles/alerts.css";

export function AlertsSection({
  path,
  showRun,
  title,
}: {
  path: string;
  showRun: boolean;
  title: ReactNode;
}) {
  const { alerts } = useAlerts(path);
  if (alerts === null || alerts.length === 0) return null;
  return (
    <details className="alerts-section" id="alerts" data-testid="alerts-section" open>
      <summary>
        {title} ({alerts.length})
      </summary>
      <AlertList alerts={alerts} showRun={showRun} />
    </details>
  );
}
