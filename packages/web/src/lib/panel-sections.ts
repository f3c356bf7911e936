/**
 * Chart sections, as W&B groups panels: a key's section is the text before its last `/`
 * (`train/loss` → `train`, `a/b/c` → `a/b`); keys without one share the default section, shown
 * first. Sections and the keys inside them sort naturally (`layer2` before `layer10`).
 */

export const DEFAULT_SECTION = "Charts";

export interface PanelSection {
  name: string;
  keys: string[];
}

/** The section a key belongs to. */
export function sectionOf(key: string): string {
  const slash = key.lastIndexOf("/");
  return slash <= 0 ? DEFAULT_SECTION : key.slice(0, slash);
}

const collator = new Intl.Collator("en", { numeric: true, sensitivity: "base" });

/** Natural order: digit runs compare as numbers, case folded; ties broken by code units so the order is total. */
export function compareNatural(a: string, b: string): number {
  return collator.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);
}

/** Keys grouped into sections: the default section first, then the others in natural order. */
export function groupSections(keys: readonly string[]): PanelSection[] {
  const bySection = new Map<string, string[]>();
  for (const key of keys) {
    const name = sectionOf(key);
    const list = bySection.get(name);
    if (list === undefined) bySection.set(name, [key]);
    else list.push(key);
  }
  return [...bySection]
    .map(([name, list]) => ({ name, keys: list.sort(compareNatural) }))
    .sort((a, b) =>
      a.name === DEFAULT_SECTION ? -1 : b.name === DEFAULT_SECTION ? 1 : compareNatural(a.name, b.name),
    );
}
