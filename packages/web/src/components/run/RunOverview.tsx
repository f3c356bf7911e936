/**
 * The run's overview: its name (editable), state and id as the header, then its metadata —
 * tags (editable), group, job type, host, command, git commit, start time, a duration that ticks
 * while the run runs, exit code — beside its notes.
 */
import type { ReactNode } from "react";
import type { RunDto } from "@stepwise/protocol";
import { StateBadge } from "../StateBadge.js";
import { formatDateTime, formatDuration, formatRelativeTime } from "../../lib/time-format.js";
import { formatCommand, liveDuration } from "../../lib/run-meta.js";
import { EditableName } from "./EditableName.js";
import { NotesEditor } from "./NotesEditor.js";
import { TagEditor } from "./TagEditor.js";
import { useNow } from "./useNow.js";
import type { SaveRun } from "./useRunEditor.js";

export function RunOverview({ run, save }: { run: RunDto; save: SaveRun }) {
  const running = run.state === "running";
  const now = useNow(running);
  const command = formatCommand(run.program, run.args);
  return (
    <section className="run-overview" data-testid="run-overview" id="overview">
      <header className="run-header">
        <StateBadge state={run.state} />
        <EditableName name={run.name} save={save} />
        <span className="run-id" data-testid="run-id" title="Run id">
          {run.id}
        </span>
      </header>
      <div className="run-overview-body">
        <dl className="run-fields">
          <Field label="Tags">
            <TagEditor tags={run.tags} save={save} />
          </Field>
          <Field label="Group" testId="run-group">
            {run.group || <Unset />}
          </Field>
          <Field label="Job type" testId="run-job-type">
            {run.jobType || <Unset />}
          </Field>
          <Field label="Host" testId="run-host">
            {run.host || <Unset />}
          </Field>
          <Field label="Command" testId="run-command">
            {command === "" ? <Unset /> : <code className="command">{command}</code>}
          </Field>
          <Field label="Git commit" testId="run-git-commit">
            {run.gitCommit === null ? (
              <Unset />
            ) : (
              <code title={run.gitCommit}>{run.gitCommit.slice(0, 12)}</code>
            )}
          </Field>
          <Field label="Started" testId="run-start">
            {formatDateTime(run.createdAt)}
            <span className="muted"> · {formatRelativeTime(run.createdAt, now)}</span>
          </Field>
          <Field label="Duration" testId="run-duration">
            {formatDuration(liveDuration(run, now))}
            {running && <span className="muted"> · running</span>}
          </Field>
          <Field label="Exit code" testId="run-exit-code">
            {run.exitCode === null ? (
              <Unset text={running ? "running" : "–"} />
            ) : (
              <span className={run.exitCode === 0 ? "" : "exit-bad"}>{run.exitCode}</span>
            )}
          </Field>
          <Field label="Last step" testId="run-last-step">
            {run.lastStep === null ? <Unset /> : run.lastStep}
          </Field>
          <Field label="Last seen" testId="run-heartbeat">
            <span title={formatDateTime(run.heartbeatAt)}>{formatRelativeTime(run.heartbeatAt, now)}</span>
          </Field>
        </dl>
        <NotesEditor notes={run.notes} save={save} />
      </div>
    </section>
  );
}

function Field({ label, testId, children }: { label: string; testId?: string; children: ReactNode }) {
  return (
    <div className="run-field">
      <dt>{label}</dt>
      <dd data-testid={testId}>{children}</dd>
    </div>
  );
}

function Unset({ text = "–" }: { text?: string }) {
  return <span className="muted">{text}</span>;
}
