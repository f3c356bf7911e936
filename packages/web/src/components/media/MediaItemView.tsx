/** One media item of a run at the chosen step, in the viewer of its kind, with its caption. */
import type { RunRef } from "@stepwise/protocol";
import type { MediaItem } from "../../lib/media-values.js";
import { AudioView } from "./AudioView.js";
import { HtmlView } from "./HtmlView.js";
import { ImageView } from "./ImageView.js";
import { MoleculeView } from "./MoleculeView.js";
import { Object3DView } from "./Object3DView.js";
import type { ImageOverlay } from "./useImageOverlay.js";
import { VideoView } from "./VideoView.js";

export interface MediaItemViewProps {
  runRef: RunRef;
  item: MediaItem;
  mediaKey: string;
  config: Record<string, unknown>;
  overlay: ImageOverlay;
  size: number;
}

export function MediaItemView(props: MediaItemViewProps) {
  const { item, size } = props;
  return (
    <figure className="media-item" data-testid="media-item" data-kind={item.kind}>
      {viewOf(props)}
      {item.caption !== undefined && (
        <figcaption className="media-caption" data-testid="media-caption" style={{ maxWidth: size }}>
          {item.caption}
        </figcaption>
      )}
    </figure>
  );
}

function viewOf({ runRef, item, mediaKey, config, overlay, size }: MediaItemViewProps) {
  switch (item.kind) {
    case "image":
      return (
        <ImageView
          runRef={runRef}
          item={item}
          mediaKey={mediaKey}
          config={config}
          overlay={overlay}
          size={size}
        />
      );
    case "audio":
      return <AudioView runRef={runRef} item={item} size={size} />;
    case "video":
      return <VideoView runRef={runRef} item={item} size={size} />;
    case "html":
      return <HtmlView runRef={runRef} item={item} size={size} />;
    case "object3d":
      return <Object3DView runRef={runRef} item={item} size={size} />;
    case "molecule":
      return <MoleculeView runRef={runRef} item={item} size={size} />;
  }
}
