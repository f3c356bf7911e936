/** A run as the charts overlay it: the run and the colour it is drawn in. */
import type { RunDto } from "@stepwise/protocol";

export interface ChartRun {
  run: RunDto;
  color: string;
}
