/** Alerts from one of the alert routes (protocol alertPaths), re-read every `pollMs` while mounted. */
import { useEffect, useState } from "react";
import { alertListResponseSchema, type AlertDto } from "@stepwise/protocol";
import { request } from "../../api/client.js";

export interface AlertsResource {
  alerts: AlertDto[] | null;
  error: unknown;
}

export function useAlerts(path: string, pollMs = 5000): AlertsResource {
  const [state, setState] = useState<AlertsResource>({ alerts: null, error: null });
  useEffect(() => {
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = async (): Promise<void> => {
      try {
        const { alerts } = await request(alertListResponseSchema, path, {}, controller.signal);
        setState({ alerts, error: null });
      } catch (error) {
        if (controller.signal.aborted) return;
        setState((old) => ({ alerts: old.alerts, error }));
      }
      if (!controller.signal.aborted) timer = setTimeout(() => void load(), pollMs);
    };
    void load();
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }, [path, pollMs]);
  return state;
}
