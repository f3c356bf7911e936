/**
 * Store contract tests the PostgreSQL store skips, each with why: the parts not built yet on
 * PostgreSQL (docs/storage.md, "PostgreSQL"). Each entry names the test and the missing part;
 * the skip check (store-contract/skips.ts) fails the suite when a name matches no test.
 */
import type { ContractSkips } from "./store-contract/store-contract.js";

const notBuilt = (what: string): string => `not built yet on PostgreSQL: ${what}`;
const MEDIA = notBuilt("the media index and key kinds (queryMedia, listMediaSteps, listKeyKinds)");
const STRUCTURED = notBuilt("the histogram and table-version index (presets are built)");
const ARTIFACTS = notBuilt("the artifact store (collections, versions, aliases, lineage, storage)");
const REGISTRY = notBuilt(
  "the registry (Store.registry is absent; it links artifact versions, not built either)",
);

export const POSTGRES_NOT_BUILT: ContractSkips = {
  "with keys, returns only the rows that have all of them, projected to _step and those keys": notBuilt(
    "history scans with `keys`: the row projection lives inside store/sqlite/history-reader.ts (not exported); it must move to a shared module before PostgreSQL can use it rather than copy it",
  ),
  "scans packed rows as the text of the same rows, before and after compaction":
    "PostgreSQL formats packed rows as text at ingest (pg-ingest-port.ts), so compactHistory has no packed blocks to rewrite and answers 0; the scan half is covered by 'holds exactly the logged rows, JSON and packed batches alike, before and after compaction'",
  "answers a key per run at a step (exact, nearest, before, after) and over a range": MEDIA,
  "joins the run file whether it was recorded before or after the row": MEDIA,
  "adds nothing for a re-sent batch and keeps nothing of a batch refused for a gap": MEDIA,
  "lists the kinds each key held, numbers from the series": MEDIA,
  "keeps histograms as logged, by key and step, from JSON and packed rows": STRUCTURED,
  "a re-sent batch adds nothing; a batch past the stored offset leaves nothing": STRUCTURED,
  "lists table versions per key by step": STRUCTURED,
  "numbers versions v0, v1, … with latest on the newest; unchanged content is the same version": ARTIFACTS,
  "reads a manifest back as committed, in code-point order, page by page": ARTIFACTS,
  "moves an alias from one version to another in one step, and never touches latest": ARTIFACTS,
  "keeps a collection's type, and a refused commit leaves nothing": ARTIFACTS,
  "records lineage both ways: produced by one run, used by others": ARTIFACTS,
  "counts a manifest entry as a reference to its blob for garbage collection": ARTIFACTS,
  "deletes a version softly: hidden, its aliases gone, latest on the newest left, its blobs unheld":
    ARTIFACTS,
  "deletes a collection with its versions; the name can be used again, numbering continues": ARTIFACTS,
  "counts storage per collection and project with shared content once; deleted and what it frees": ARTIFACTS,
  "lists many versions with each one's own tags and aliases": ARTIFACTS,
  "keeps each version's TTL; lists the collections holding a live version past it": ARTIFACTS,
  "sets a version's tags exactly, leaving the other versions' and its digest alone": ARTIFACTS,
  "commits every writer's entries as one version; nothing is visible before; finish again is that version":
    ARTIFACTS,
  "refuses a path two writers added with different content, by name, and commits nothing": ARTIFACTS,
  "commits one version however many finishes race": ARTIFACTS,
  "keeps pending entries' blobs from garbage collection; refuses an unknown key and another type": ARTIFACTS,
  "discards a distributed artifact: pending entries dropped, a finished one's version kept, the id free again":
    ARTIFACTS,
  "links versions without copying, numbered by the collection, latest on the newest": REGISTRY,
  "moves an alias in one step and audits each change with who and from → to": REGISTRY,
  "refuses another type, a missing source or a version name as an alias; latest places nothing": REGISTRY,
  "hides a link whose artifact version was deleted": REGISTRY,
};
