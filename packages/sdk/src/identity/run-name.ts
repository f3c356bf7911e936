/**
 * Display names `adjective-noun-N`, never empty, where N is the project's run count. Offline,
 * N comes from a per-project counter file under the local `stepwise/` folder: each run appends
 * one byte (O_APPEND is atomic across processes) and N is the file's size afterwards.
 */
import { randomInt } from "node:crypto";
import { closeSync, fstatSync, mkdirSync, openSync, writeSync } from "node:fs";
import { join } from "node:path";

const ADJECTIVES = [
  "amber",
  "ancient",
  "autumn",
  "bold",
  "brisk",
  "calm",
  "clever",
  "cosmic",
  "crimson",
  "daring",
  "dashing",
  "deft",
  "eager",
  "earnest",
  "electric",
  "fancy",
  "fearless",
  "fiery",
  "flowing",
  "fluent",
  "frosty",
  "gallant",
  "gentle",
  "glowing",
  "golden",
  "graceful",
  "hardy",
  "hidden",
  "honest",
  "icy",
  "jolly",
  "keen",
  "lively",
  "lucky",
  "lunar",
  "misty",
  "noble",
  "olive",
  "patient",
  "polar",
  "proud",
  "quiet",
  "rapid",
  "restful",
  "rosy",
  "royal",
  "rustic",
  "serene",
  "silent",
  "silver",
  "smooth",
  "snowy",
  "solar",
  "spring",
  "steady",
  "stellar",
  "still",
  "sunny",
  "swift",
  "tidy",
  "twilight",
  "vivid",
  "wandering",
  "warm",
  "wild",
  "winter",
  "wise",
  "zesty",
];
const NOUNS = [
  "aurora",
  "bird",
  "breeze",
  "brook",
  "butterfly",
  "canyon",
  "cloud",
  "comet",
  "dawn",
  "dew",
  "dream",
  "dune",
  "ember",
  "field",
  "firefly",
  "flower",
  "forest",
  "frog",
  "galaxy",
  "glade",
  "grass",
  "harbor",
  "haze",
  "hill",
  "lake",
  "leaf",
  "meadow",
  "moon",
  "morning",
  "mountain",
  "night",
  "oasis",
  "ocean",
  "paper",
  "pine",
  "planet",
  "pond",
  "rain",
  "reef",
  "river",
  "sea",
  "shadow",
  "sky",
  "smoke",
  "snow",
  "sound",
  "spark",
  "star",
  "stone",
  "storm",
  "sun",
  "sunset",
  "surf",
  "thunder",
  "tree",
  "valley",
  "violet",
  "voice",
  "water",
  "wave",
  "wind",
  "wood",
];

export function randomNamePrefix(): string {
  return `${ADJECTIVES[randomInt(ADJECTIVES.length)]}-${NOUNS[randomInt(NOUNS.length)]}`;
}

/** Counts this run into the project's local counter and returns `adjective-noun-N`. */
export function generateLocalRunName(stepwiseFolder: string, project: string): string {
  let count = 1;
  try {
    const dir = join(stepwiseFolder, ".run-counts");
    mkdirSync(dir, { recursive: true });
    const fd = openSync(join(dir, `p-${encodeURIComponent(project)}`), "a");
    try {
      writeSync(fd, "+");
      count = fstatSync(fd).size;
    } finally {
      closeSync(fd);
    }
  } catch {
    // A read-only or odd file system only costs the exact count; the name stays non-empty.
  }
  return `${randomNamePrefix()}-${count}`;
}
