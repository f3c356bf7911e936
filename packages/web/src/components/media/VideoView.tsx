/** A logged video: a GIF as an image (it loops), mp4 / webm / ogg in the browser's player. */
import { useEffect, useState } from "react";
import type { RunRef } from "@stepwise/protocol";
import type { MediaItem } from "../../lib/media-values.js";
import { loadFileUrl, mediaType } from "./media-cache.js";

export function VideoView({ runRef, item, size }: { runRef: RunRef; item: MediaItem; size: number }) {
  const [url, setUrl] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const gif = item.path.toLowerCase().endsWith(".gif");
  useEffect(() => {
    let live = true;
    const type = mediaType(item.path).replace(/^audio\//, "video/");
    loadFileUrl(runRef, item.path, type, item.url).then(
      (loaded) => live && setUrl(loaded),
      (cause: unknown) => live && setError(cause instanceof Error ? cause.message : String(cause)),
    );
    return () => {
      live = false;
    };
  }, [runRef.entity, runRef.project, runRef.runId, item.path]);
  if (error !== null)
    return (
      <div className="media-error">
        Could not load {item.path}: {error}
      </div>
    );
  if (url === null)
    return <div className="media-placeholder" style={{ width: size, height: (size * 3) / 4 }} />;
  if (gif)
    return (
      <img
        className="media-gif"
        data-testid="media-video"
        data-path={item.path}
        src={url}
        alt={item.caption ?? item.path}
        style={{ width: size }}
      />
    );
  return (
    <video
      className="media-video"
      data-testid="media-video"
      data-path={item.path}
      src={url}
      controls
      loop
      muted
      playsInline
      preload="auto"
      style={{ width: size }}
    />
  );
}
