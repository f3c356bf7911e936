/**
 * The run page's Media section: a media panel for each media key the run logged (images,
 * audio, video, HTML, 3D, molecules), grouped by section like the workspace, each with its step
 * slider; "no media" with how to log some when there is none.
 */
import { useMemo } from "react";
import type { RunDto } from "@stepwise/protocol";
import { chartKeys } from "../../lib/metric-keys.js";
import { groupSections, sectionOf } from "../../lib/panel-sections.js";
import { mediaKeysOf } from "../../lib/media-values.js";
import { runColor } from "../../lib/run-colors.js";
import type { ChartRun } from "../charts/chart-run.js";
import { MediaPanel } from "./MediaPanel.js";

export function RunMediaSection({ run }: { run: RunDto }) {
  const runs = useMemo<ChartRun[]>(() => [{ run, color: runColor(run) }], [run]);
  const kinds = useMemo(() => mediaKeysOf([run.summary]), [run.summary]);
  const sections = useMemo(() => groupSections([...kinds.keys()]), [kinds]);
  const axisChoices = useMemo(() => chartKeys([run]).map((k) => k.key), [run]);
  return (
    <section className="run-media media-section" data-testid="run-media" id="media">
      <div className="card-head">
        <h2>Media</h2>
      </div>
      {sections.length === 0 ? (
        <p className="muted">
          No media logged. Log images, audio, video, HTML, 3D objects or molecules, e.g.{" "}
          <code>{`run.log({ examples: new Image(pixels, { caption: "epoch 1" }) })`}</code>.
        </p>
      ) : (
        sections.map((section) => (
          <div key={section.name} className="run-media-section" data-section={section.name}>
            <h3>{section.name}</h3>
            {section.keys.map((key) => (
              <MediaPanel
                key={key}
                mediaKey={key}
                kind={kinds.get(key) ?? "image"}
                runs={runs}
                section={`run:${sectionOf(key)}`}
                axisChoices={axisChoices}
              />
            ))}
          </div>
        ))
      )}
    </section>
  );
}
