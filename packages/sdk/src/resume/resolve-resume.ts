/**
 * Decides at `init()` whether a run continues an existing one (W&B reference §1.10): looks the
 * run up on the server and applies the `resume` mode — allow/auto resume when it exists,
 * `must` requires it, `never` forbids it. When the server cannot be reached, `must` fails and
 * the other modes start a new run under a fresh id, so that nothing is appended to a run whose
 * state is unknown.
 */
import { StepwiseError, UsageError } from "@stepwise/protocol";
import type { Terminal } from "../console/terminal.js";
import { generateRunId } from "../identity/run-id.js";
import type { ResolvedSettings } from "../settings/resolve-settings.js";
import { IngestClient, type ServerRun } from "../upload/ingest-client.js";
import { readResumeId, removeResumeFile, writeResumeId } from "./resume-file.js";

/** A short lookup: init() must not hang on a server that does not answer. */
const LOOKUP_TIMEOUT_MS = 5000;
/** Shorter for the check of a new run's id: it only brings forward a refusal the upload would meet. */
const EXISTING_ID_TIMEOUT_MS = 2000;

export interface ResumeDecision {
  id: string;
  /** The stored run to continue, or null for a new run. */
  resumed: ServerRun | null;
  /** Tags were passed to init(): on resume they replace the stored ones. */
  tagsGiven: boolean;
}

export async function resolveResume(
  settings: ResolvedSettings,
  terminal: Terminal,
  tagsGiven: boolean,
): Promise<ResumeDecision> {
  const mode = settings.resume;
  let id = settings.id ?? generateRunId();
  if (mode === null || settings.mode === "disabled") {
    if (mode === null && settings.mode !== "disabled") removeResumeFile(settings.rootDir);
    if (mode === null && settings.mode === "online" && settings.id !== null)
      await refuseExistingRun(settings, settings.id);
    return { id, resumed: null, tagsGiven };
  }
  if (mode === "auto") {
    const remembered = readResumeId(settings.rootDir);
    if (remembered !== null && settings.id === null) id = remembered;
    else if (remembered !== null && remembered !== id)
      terminal.warn(
        `Ignoring ID ${remembered} loaded due to resume="auto" because the run ID is set to ${id}.`,
      );
    writeResumeId(settings.rootDir, id);
  }
  if (settings.mode === "offline") {
    terminal.warn(
      `\`resume\` will be ignored since the run is offline. Starting a new run with run id ${id}.`,
    );
    return { id, resumed: null, tagsGiven };
  }
  const client = new IngestClient(
    { baseUrl: settings.baseUrl, apiKey: settings.apiKey },
    { entity: settings.entity, project: settings.project, runId: id },
    LOOKUP_TIMEOUT_MS,
  );
  const lookup = await client.lookup();
  if (lookup.kind === "found") {
    if (mode === "never")
      throw new UsageError(
        `init(): resume "never" is not a valid option for resuming a run (${id}) that already exists; pick another id or drop \`resume\``,
      );
    return { id, resumed: lookup.run, tagsGiven };
  }
  if (lookup.kind === "missing") {
    if (mode === "must")
      throw new UsageError(
        `init(): resume "must" is not a valid option for resuming the run (${id}) that has not been initialized; check the id, or use resume "allow"`,
      );
    return { id, resumed: null, tagsGiven };
  }
  const why = lookup.kind === "retry" ? lookup.reason : `HTTP ${lookup.status}: ${lookup.message}`;
  if (mode === "must")
    throw new StepwiseError(
      "UNAVAILABLE",
      `init(): resume "must" needs the server at ${settings.baseUrl} to look run ${id} up, and it failed (${why}); start the server or check baseUrl`,
    );
  const fresh = generateRunId();
  terminal.warn(
    `could not look run ${id} up at ${settings.baseUrl} (${why}); starting a new run with id ${fresh} instead of resuming it.`,
  );
  if (mode === "auto") writeResumeId(settings.rootDir, fresh);
  return { id: fresh, resumed: null, tagsGiven };
}

/**
 * A run id given without `resume` names a new run: if the server already has a run under it,
 * init() fails now instead of the upload being refused later (the server refuses batches from
 * another writer, so nothing would be merged either way). A server that cannot be reached is
 * not waited for: the upload meets the refusal, and the run stays on disk for `stepwise sync`.
 */
async function refuseExistingRun(settings: ResolvedSettings, id: string): Promise<void> {
  const client = new IngestClient(
    { baseUrl: settings.baseUrl, apiKey: settings.apiKey },
    { entity: settings.entity, project: settings.project, runId: id },
    EXISTING_ID_TIMEOUT_MS,
  );
  const lookup = await client.lookup();
  if (lookup.kind === "found")
    throw new UsageError(
      `init(): run ${settings.entity}/${settings.project}/${id} already exists; to continue it pass resume: "allow" ` +
        `(or "must"), or leave out \`id\` (or pick another) for a new run`,
    );
}
