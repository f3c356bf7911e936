/**
 * The settings of a resumed run (W&B reference §1.10, §1.7): the stored config comes back with
 * the new values winning, the stored name stays unless a new one is given, and the stored tags
 * stay unless tags are given (then they replace them).
 */
import type { ResumeDecision } from "../resume/resolve-resume.js";
import type { ResolvedSettings } from "../settings/resolve-settings.js";
import { deepMerge } from "../values/deep-merge.js";

export function resumedSettings(settings: ResolvedSettings, resume: ResumeDecision): ResolvedSettings {
  const stored = resume.resumed;
  if (stored === null) return { ...settings, id: resume.id };
  return {
    ...settings,
    id: resume.id,
    name: settings.name ?? (stored.name === "" ? null : stored.name),
    tags: resume.tagsGiven ? settings.tags : stored.tags,
    config: deepMerge(deepMerge({}, stored.config), settings.config),
  };
}
