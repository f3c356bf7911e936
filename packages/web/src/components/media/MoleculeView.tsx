/**
 * A logged molecule (pdb, pqr, mmcif, mcif, cif, sdf, sd, gro, mol2; mmtf is binary) in a
 * 3Dmol.js viewer, loaded only when a molecule panel comes into view: sticks, or cartoon for a
 * protein, turned and zoomed with the mouse.
 */
import { useEffect, useRef, useState } from "react";
import type { RunRef } from "@stepwise/protocol";
import type { MediaItem } from "../../lib/media-values.js";
import { fetchFile } from "../../api/client.js";

export function MoleculeView({ runRef, item, size }: { runRef: RunRef; item: MediaItem; size: number }) {
  const host = useRef<HTMLDivElement>(null);
  const [error, setError] = useState<string | null>(null);
  const [atoms, setAtoms] = useState<number | null>(null);
  useEffect(() => {
    const element = host.current;
    if (element === null) return;
    let live = true;
    let clear: (() => void) | null = null;
    const format = item.path.slice(item.path.lastIndexOf(".") + 1).toLowerCase();
    Promise.all([import("3dmol"), fetchFile(runRef, item.path)])
      .then(async ([mol, response]) => {
        const data = format === "mmtf" ? new Uint8Array(await response.arrayBuffer()) : await response.text();
        if (!live) return;
        const viewer = mol.createViewer(element, { backgroundColor: "#111418" });
        const type = format === "sd" ? "sdf" : format === "mcif" ? "mmcif" : format;
        // Hydrogens kept: a small molecule without them is not the molecule logged.
        const model = viewer.addModel(data, type, { keepH: true });
        const count = model.selectedAtoms({}).length;
        const protein = model.selectedAtoms({ atom: "CA" }).length > 20;
        viewer.setStyle(
          {},
          protein ? { cartoon: { color: "spectrum" } } : { stick: {}, sphere: { scale: 0.25 } },
        );
        viewer.zoomTo();
        viewer.render();
        setAtoms(count);
        clear = () => viewer.clear();
      })
      .catch((cause: unknown) => live && setError(cause instanceof Error ? cause.message : String(cause)));
    return () => {
      live = false;
      clear?.();
    };
  }, [runRef.entity, runRef.project, runRef.runId, item.path]);
  if (error !== null)
    return (
      <div className="media-error">
        Could not show {item.path}: {error}
      </div>
    );
  return (
    <div className="media-molecule" style={{ width: size }}>
      <div
        ref={host}
        data-testid="media-molecule"
        data-path={item.path}
        data-atoms={atoms ?? ""}
        style={{ width: size, height: size, position: "relative" }}
      />
      {atoms !== null && <span className="muted">{atoms.toLocaleString("en")} atoms</span>}
    </div>
  );
}
