import { describe, expect, it } from "vitest";
import {
  filterMetrics,
  matchesMetric,
  parseMetricSearch,
  serverSearchText,
} from "../../src/lib/metric-search.js";

const KEYS = ["train/loss", "train/Acc", "val/acc", "block10/m3", "block1/m30", "lr"];
const find = (text: string) => filterMetrics(KEYS, parseMetricSearch(text), (k) => k);

describe("metric search", () => {
  it("matches everything when empty or blank", () => {
    expect(find("")).toEqual(KEYS);
    expect(find("   ")).toEqual(KEYS);
  });

  it("matches a substring anywhere in the key, ignoring case", () => {
    expect(find("acc")).toEqual(["train/Acc", "val/acc"]);
    expect(find("TRAIN/")).toEqual(["train/loss", "train/Acc"]);
    expect(find("/m3")).toEqual(["block10/m3", "block1/m30"]);
  });

  it("treats /…/ as a regular expression, with flags", () => {
    expect(find("/^block1\\//")).toEqual(["block1/m30"]);
    expect(find("/acc$/")).toEqual(["val/acc"]);
    expect(find("/acc$/i")).toEqual(["train/Acc", "val/acc"]);
    expect(find("/")).toEqual(KEYS.filter((k) => k.includes("/")));
  });

  it("says why a pattern does not compile and matches nothing", () => {
    const search = parseMetricSearch("/train(/");
    expect(search.kind).toBe("invalid");
    expect(search.kind === "invalid" && search.message).toMatch(/./);
    expect(matchesMetric(search, "train(")).toBe(false);
  });

  it("asks the server only for plain text, lower-cased", () => {
    expect(serverSearchText(parseMetricSearch(" Val/ACC "))).toBe("val/acc");
    expect(serverSearchText(parseMetricSearch("/val/"))).toBeNull();
    expect(serverSearchText(parseMetricSearch(""))).toBeNull();
  });
});
