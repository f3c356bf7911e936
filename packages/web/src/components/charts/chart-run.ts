/** A run as the charts overlay it: the run and the colour it is drawn in. */
import type { RunDto } from "@stepwise/protocol";

export interface ChartRun {
  run: RunDto;
  color: string;
  /**
   * A version of the config and summary values the run carries for the panels, when they came
   * after the run (the workspace lists runs with only the table's paths): a change redraws.
   */
  values?: string;
}
