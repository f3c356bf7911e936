/**
 * Display names `adjective-noun-N`, N = 1 + the runs already in the project. One generator for
 * the SDK (offline runs) and the server (runs that arrive without a name), so names look alike
 * whichever side made them. The random source is passed in: protocol does no I/O.
 */

// prettier-ignore
const ADJECTIVES = [
  "amber", "ancient", "autumn", "bold", "brisk", "calm", "clever", "cosmic", "crimson", "daring",
  "dashing", "deft", "eager", "earnest", "electric", "fancy", "fearless", "fiery", "flowing", "fluent",
  "frosty", "gallant", "gentle", "glowing", "golden", "graceful", "hardy", "hidden", "honest", "icy",
  "jolly", "keen", "lively", "lucky", "lunar", "misty", "noble", "olive", "patient", "polar",
  "proud", "quiet", "rapid", "restful", "rosy", "royal", "rustic", "serene", "silent", "silver",
  "smooth", "snowy", "solar", "spring", "steady", "stellar", "still", "sunny", "swift", "tidy",
  "twilight", "vivid", "wandering", "warm", "wild", "winter", "wise", "zesty",
] as const;

// prettier-ignore
const NOUNS = [
  "aurora", "bird", "breeze", "brook", "butterfly", "canyon", "cloud", "comet", "dawn", "dew",
  "dream", "dune", "ember", "field", "firefly", "flower", "forest", "frog", "galaxy", "glade",
  "grass", "harbor", "haze", "hill", "lake", "leaf", "meadow", "moon", "morning", "mountain",
  "night", "oasis", "ocean", "paper", "pine", "planet", "pond", "rain", "reef", "river",
  "sea", "shadow", "sky", "smoke", "snow", "sound", "spark", "star", "stone", "storm",
  "sun", "sunset", "surf", "thunder", "tree", "valley", "violet", "voice", "water", "wave",
  "wind", "wood",
] as const;

/**
 * `adjective-noun-N` for a project that already holds `existingRuns` runs. `randomIndex(n)`
 * returns an integer in [0, n) (crypto `randomInt` in production, a fixed one in tests).
 */
export function generateRunName(existingRuns: number, randomIndex: (n: number) => number): string {
  const adjective = ADJECTIVES[randomIndex(ADJECTIVES.length)] ?? ADJECTIVES[0];
  const noun = NOUNS[randomIndex(NOUNS.length)] ?? NOUNS[0];
  return `${adjective}-${noun}-${existingRuns + 1}`;
}

/** True for names this generator can produce (used by tests and to recognise generated names). */
export function isGeneratedRunName(name: string): boolean {
  const match = /^([a-z]+)-([a-z]+)-(\d+)$/.exec(name);
  if (!match) return false;
  return (
    (ADJECTIVES as readonly string[]).includes(match[1] ?? "") &&
    (NOUNS as readonly string[]).includes(match[2] ?? "")
  );
}
