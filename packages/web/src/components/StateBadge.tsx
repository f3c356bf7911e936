/**
 * A run's state as a small coloured pill (`running` pulses), shared by the runs table and the
 * run page. The text is the state itself, so tests and screen readers read it as is.
 */
import type { RunState } from "@stepwise/protocol";
import "../styles/state-badge.css";

export function StateBadge({ state }: { state: RunState }) {
  return (
    <span className={`state-badge state-${state}`} data-testid="state-badge" title={STATE_HINTS[state]}>
      {state}
    </span>
  );
}

const STATE_HINTS: Record<RunState, string> = {
  running: "Running: the run is sending data",
  finished: "Finished: the run exited with code 0",
  failed: "Failed: the run exited with a non-zero code",
  crashed: "Crashed: the run stopped sending heartbeats without finishing",
  killed: "Killed: the run was stopped by a signal or a stop request",
  preempting: "Preempting: the run was told it will be preempted",
  preempted: "Preempted: the run was preempted and may resume",
};
