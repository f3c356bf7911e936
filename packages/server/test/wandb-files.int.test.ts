/**
 * `wandb.save`, `wandb.restore` and the media types beside images, through the real `wandb`
 * client, unmodified (fixtures/wandb/save_restore_media.py): files saved with the policies
 * `now`, `live` (changed after saving: the last version counts) and `end` are run files holding
 * the script's bytes, and `wandb.restore(name, run_path=…)` in the same script after `finish`
 * downloads those bytes back; `wandb.Audio` (a WAV file), `wandb.Video` (a GIF file: no moviepy
 * needed), `wandb.Html`, `wandb.Object3D` (a point cloud) and `wandb.Molecule` (a PDB file) logged at two steps are served by Stepwise's media API with the bytes
 * the script wrote, under the key kinds that pick the audio, video and HTML panels. The oldest and
 * the newest client.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { oldestAndNewestWandbVersions, useWandb } from "./support/wandb-fixture.js";
import { MEDIA_PACKAGES } from "./support/wandb-venv.js";

interface Logged {
  entity: string;
  project: string;
  id: string;
  /** File name → base64 of the bytes the script last wrote / that `wandb.restore` wrote. */
  saved: Record<string, string>;
  restored: Record<string, string>;
  /** Step → media key → base64 of the file the script logged (the cloud: its points as JSON). */
  media: Record<string, Record<"audio" | "video" | "page" | "mol" | "cloud", string>>;
}

interface MediaAnswer {
  runs: Array<{
    step: number | null;
    items: Array<{ valueType: string; present: boolean; url: string; caption: string | null }>;
  }>;
}

const MEDIA = [
  { key: "audio", valueType: "audio-file", panel: "audio", caption: (step: number) => `tone ${step}` },
  { key: "video", valueType: "video-file", panel: "video", caption: (step: number) => `clip ${step}` },
  { key: "page", valueType: "html-file", panel: "html", caption: () => null },
  { key: "mol", valueType: "molecule-file", panel: "molecule", caption: (step: number) => `mol ${step}` },
  { key: "cloud", valueType: "object3D-file", panel: "object3D", caption: () => null },
] as const;

describe.each(oldestAndNewestWandbVersions())("wandb %s files", (version) => {
  const w = useWandb(version, "files", { extras: MEDIA_PACKAGES });

  test("wandb.save (now, live, end) and wandb.restore give back the script's bytes; audio, video, HTML, 3-D and molecules are served as logged", async () => {
    const out = join(w.dir, "files.json");
    await w.script("save_restore_media.py", [out]);
    const logged = JSON.parse(await readFile(out, "utf8")) as Logged;
    const path = `/runs/${logged.entity}/${logged.project}/${logged.id}`;

    expect(Object.keys(logged.saved).sort()).toEqual(["saved-end.bin", "saved-live.txt", "saved-now.txt"]);
    expect(logged.restored).toEqual(logged.saved);
    expect(Buffer.from(logged.saved["saved-live.txt"] ?? "", "base64").toString()).toBe(
      "first version\nsecond version\n",
    );
    for (const [name, bytes] of Object.entries(logged.saved))
      expect((await w.bytes(`/api/v1${path}/files/${name}`)).toString("base64"), name).toBe(bytes);

    for (const [stepText, want] of Object.entries(logged.media)) {
      const step = Number(stepText);
      for (const media of MEDIA) {
        const query = `key=${media.key}&runs=${logged.id}&step=${step}&match=exact`;
        const answer = JSON.parse(
          await w.api(`/media/${logged.entity}/${logged.project}?${query}`),
        ) as MediaAnswer;
        const items = answer.runs[0]?.items ?? [];
        expect(answer.runs[0]?.step, `${media.key} at step ${step}`).toBe(step);
        expect(items.map((i) => [i.valueType, i.present, i.caption])).toEqual([
          [media.valueType, true, media.caption(step)],
        ]);
        const served = await w.bytes(items[0]?.url ?? "");
        // The point cloud is a file wandb writes itself (.pts.json): its points are what was logged.
        if (media.key === "cloud")
          expect(JSON.parse(served.toString()), `cloud at step ${step}`).toEqual(JSON.parse(want.cloud));
        else expect(served.toString("base64"), `${media.key} at step ${step}`).toBe(want[media.key]);
      }
    }
    const kinds = JSON.parse(
      await w.api(`/key-kinds/${logged.entity}/${logged.project}?runs=${logged.id}`),
    ) as { keys: Array<{ key: string; kinds: Array<{ kind: string; panel: string; count: number }> }> };
    const kindOf = Object.fromEntries(
      kinds.keys.map((k) => [k.key, k.kinds.map((kind) => [kind.kind, kind.panel, kind.count])]),
    );
    for (const media of MEDIA) expect(kindOf[media.key]).toEqual([[media.valueType, media.panel, 2]]);
  }, 300_000);
});
