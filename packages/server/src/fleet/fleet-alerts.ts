/**
 * Alert delivery on one server of a fleet: the delivery loop (alerts/alert-dispatcher.ts) polls
 * the store every 200 ms and POSTs what is due, so two servers polling one database would
 * deliver each alert twice. Through this view of the alert store only the server leading
 * "alert-delivery" (fleet-lock.ts) hands alerts out and sees due deliveries; the others see
 * none. A leader that dies gives the lead back with its database connection, and the next
 * server to poll takes it: deliveries still pending are then tried again (at least once, as
 * after a restart).
 */
import type { AlertStore } from "../store/alert-store.js";
import type { FleetLock } from "./fleet-lock.js";

export function deliveredByLeader(alerts: AlertStore, fleet: FleetLock): AlertStore {
  return {
    dispatchNew: async (destinations, now) =>
      (await fleet.lead("alert-delivery")) ? alerts.dispatchNew(destinations, now) : 0,
    dueDeliveries: async (now, limit) =>
      (await fleet.lead("alert-delivery")) ? alerts.dueDeliveries(now, limit) : [],
    recordAttempt: (alertId, destination, attempt, next) =>
      alerts.recordAttempt(alertId, destination, attempt, next),
    listAlerts: (query) => alerts.listAlerts(query),
  };
}
