/**
 * A warning on the run page when the uploader set records aside because this server refused
 * them (an older or stricter server): read from the run's quarantine note, if its file list
 * (the page's, shared with the files table) holds one.
 */
import { useEffect, useState } from "react";
import { parseExtended, QUARANTINE_NOTE_PATH, type FileDto, type RunRef } from "@stepwise/protocol";
import { fileUrl } from "../../api/client.js";
import { hasQuarantineNote, quarantineWarning } from "../../lib/quarantine-warning.js";

export function QuarantineWarning({ runRef, files }: { runRef: RunRef; files: readonly FileDto[] | null }) {
  const [warning, setWarning] = useState<string | null>(null);
  const { entity, project, runId } = runRef;

  // A new file list (the run's state changed) reads the note again: it may have grown.
  useEffect(() => {
    if (files === null || !hasQuarantineNote(files)) {
      setWarning(null);
      return;
    }
    const controller = new AbortController();
    const ref = { entity, project, runId };
    const load = async (): Promise<string | null> => {
      const response = await fetch(fileUrl(ref, QUARANTINE_NOTE_PATH), { signal: controller.signal });
      return response.ok ? quarantineWarning(parseExtended(await response.text())) : null;
    };
    // A missing or unreadable note shows nothing: the page works as without one.
    load().then(setWarning, () => undefined);
    return () => controller.abort();
  }, [entity, project, runId, files]);

  if (warning === null) return null;
  return (
    <div className="inline-error quarantine-warning" role="alert" data-testid="quarantine-warning">
      {warning}
    </div>
  );
}
