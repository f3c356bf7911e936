/**
 * Which chart sections start open. A workspace with a few sections opens them all; past
 * COLLAPSE_SECTIONS sections or OPEN_PANELS charts in all (a run with 1,000 metrics has 40
 * sections of 25), only the leading sections that together hold at most OPEN_PANELS charts
 * start open (the first always), so the first screen is drawn at once and the rest is one click
 * away. A section the user opened or closed keeps that choice.
 */

export const COLLAPSE_SECTIONS = 12;
export const OPEN_PANELS = 48;

export interface SectionSize {
  name: string;
  count: number;
}

/** The names of the sections that start open. */
export function defaultOpenSections(sections: readonly SectionSize[]): Set<string> {
  const total = sections.reduce((sum, s) => sum + s.count, 0);
  if (sections.length <= COLLAPSE_SECTIONS && total <= OPEN_PANELS)
    return new Set(sections.map((s) => s.name));
  const open = new Set<string>();
  let panels = 0;
  for (const section of sections) {
    if (open.size > 0 && panels + section.count > OPEN_PANELS) break;
    open.add(section.name);
    panels += section.count;
  }
  return open;
}

/** Whether a section is open: the user's choice (`toggled`), else the default. */
export function isSectionOpen(
  name: string,
  defaults: ReadonlySet<string>,
  toggled: ReadonlyMap<string, boolean>,
): boolean {
  return toggled.get(name) ?? defaults.has(name);
}
