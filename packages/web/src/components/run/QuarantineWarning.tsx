/**
 * A warning on the run page when the uploader set records aside because this server refused
 * them (an older or stricter server): fetched from the run's quarantine note, if it has one.
 */
import { useEffect, useState } from "react";
import { parseExtended, QUARANTINE_NOTE_PATH, type RunRef, type RunState } from "@stepwise/protocol";
import { fileUrl, listFiles } from "../../api/client.js";
import { hasQuarantineNote, quarantineWarning } from "../../lib/quarantine-warning.js";

export function QuarantineWarning({ runRef, state }: { runRef: RunRef; state: RunState }) {
  const [warning, setWarning] = useState<string | null>(null);
  const { entity, project, runId } = runRef;

  useEffect(() => {
    const controller = new AbortController();
    const ref = { entity, project, runId };
    const load = async (): Promise<string | null> => {
      if (!hasQuarantineNote(await listFiles(ref, controller.signal))) return null;
      const response = await fetch(fileUrl(ref, QUARANTINE_NOTE_PATH), { signal: controller.signal });
      return response.ok ? quarantineWarning(parseExtended(await response.text())) : null;
    };
    // A missing or unreadable note shows nothing: the page works as without one.
    load().then(setWarning, () => undefined);
    return () => controller.abort();
  }, [entity, project, runId, state]);

  if (warning === null) return null;
  return (
    <div className="inline-error quarantine-warning" role="alert" data-testid="quarantine-warning">
      {warning}
    </div>
  );
}
