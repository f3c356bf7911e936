/** The banner that says the page's data is no longer live because the server does not answer. */
import { useServerReachability } from "./useServerReachability.js";

export function ServerStatusBanner() {
  const message = useServerReachability();
  if (message === null) return null;
  return (
    <div className="server-banner" data-testid="server-unreachable" role="status" aria-live="polite">
      {message}. What this page shows may be out of date.
    </div>
  );
}
