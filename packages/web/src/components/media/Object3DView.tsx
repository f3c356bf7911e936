/**
 * A logged 3D object: a point cloud or lidar scene (`.pts.json`) or a mesh (obj, gltf, glb) in a
 * three.js canvas that the mouse turns and zooms. A cloud over the chosen limit is thinned evenly
 * and the count shown says so ("83,334 / 250,000 points").
 */
import { useEffect, useRef, useState } from "react";
import type { RunRef } from "@stepwise/protocol";
import { parsePointCloud, POINT_LIMIT } from "../../lib/point-cloud.js";
import type { MediaItem } from "../../lib/media-values.js";
import { fetchFile } from "../../api/client.js";
import { loadFileText } from "./media-cache.js";
import type { SceneHandle, SceneSource } from "./three-scene.js";

/** The limits offered: past a few million points a panel turns slowly on a laptop GPU. */
export const POINT_LIMITS = [100_000, POINT_LIMIT, 5_000_000] as const;

export function Object3DView({ runRef, item, size }: { runRef: RunRef; item: MediaItem; size: number }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const [limit, setLimit] = useState<number>(POINT_LIMIT);
  const [count, setCount] = useState<{ shown: number; total: number } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [ready, setReady] = useState(false);
  const format = formatOf(item.path);

  useEffect(() => {
    const element = canvas.current;
    if (element === null) return;
    let live = true;
    let handle: SceneHandle | null = null;
    setReady(false);
    const load = async (): Promise<SceneSource> => {
      if (format === "points") {
        const cloud = parsePointCloud(JSON.parse(await loadFileText(runRef, item.path)) as unknown, limit);
        if (live) setCount({ shown: cloud.shown, total: cloud.total });
        return { kind: "points", cloud };
      }
      if (format === null)
        throw new Error("this 3D format has no viewer here (obj, gltf, glb and .pts.json do)");
      return { kind: "mesh", format, bytes: await (await fetchFile(runRef, item.path)).arrayBuffer() };
    };
    load()
      .then(async (source) => {
        if (!live) return;
        const { mountScene } = await import("./three-scene.js");
        handle = await mountScene(element, source);
        if (live) setReady(true);
        else handle.dispose();
      })
      .catch((cause: unknown) => live && setError(cause instanceof Error ? cause.message : String(cause)));
    return () => {
      live = false;
      handle?.dispose();
    };
  }, [runRef.entity, runRef.project, runRef.runId, item.path, limit, format]);

  if (error !== null)
    return (
      <div className="media-error">
        Could not show {item.path}: {error}
      </div>
    );
  return (
    <div className="media-3d" style={{ width: size }}>
      <canvas
        ref={canvas}
        data-testid="media-3d"
        data-path={item.path}
        data-ready={ready}
        width={size}
        height={size}
        style={{ width: size, height: size }}
      />
      {count !== null && (
        <div className="media-3d-count">
          <span
            data-testid="points-count"
            data-shown={count.shown}
            data-total={count.total}
            title={
              count.shown < count.total
                ? "Thinned evenly to the limit: every k-th point is drawn"
                : "Every point is drawn"
            }
          >
            {count.shown.toLocaleString("en")} / {count.total.toLocaleString("en")} points
          </span>
          <select
            aria-label="Most points drawn"
            data-testid="points-limit"
            value={limit}
            onChange={(e) => setLimit(Number(e.currentTarget.value))}
          >
            {POINT_LIMITS.map((n) => (
              <option key={n} value={n}>
                max {n.toLocaleString("en")}
              </option>
            ))}
          </select>
        </div>
      )}
    </div>
  );
}

function formatOf(path: string): "points" | "obj" | "gltf" | "glb" | null {
  const lower = path.toLowerCase();
  if (lower.endsWith(".pts.json") || lower.endsWith(".json")) return "points";
  if (lower.endsWith(".obj")) return "obj";
  if (lower.endsWith(".gltf")) return "gltf";
  if (lower.endsWith(".glb")) return "glb";
  return null;
}
