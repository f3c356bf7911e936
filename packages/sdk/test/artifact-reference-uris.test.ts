/**
 * How references are written down: an ETag as an entry records it (quotes stripped, a weak
 * marker kept), and an S3 object's URI, whose key may hold any character S3 allows (spaces,
 * `?`, `#`, `%`, non-ASCII) and must read back as the same key and version.
 */
import { describe, expect, it } from "vitest";
import { Artifact } from "../src/index.js";
import { normalizeEtag } from "../src/artifacts/references/http-reference.js";
import { parseS3Uri, s3Uri } from "../src/artifacts/references/s3-reference.js";

describe("reference URIs", () => {
  it("records an ETag without its quotes, keeping a weak one's W/", () => {
    expect(normalizeEtag('"abc-3"')).toBe("abc-3");
    expect(normalizeEtag('W/"abc"')).toBe("W/abc");
    expect(normalizeEtag("bare")).toBe("bare");
    expect(normalizeEtag("")).toBeNull();
    expect(normalizeEtag(null)).toBeNull();
  });

  it("writes an S3 key with any characters so that it reads back the same, with its version", () => {
    for (const key of ["plain/key.bin", "a b/c?d#e%f.txt", "données/é+ü.csv", "deep/./x", "trailing/"]) {
      const uri = s3Uri("bucket", key, null);
      expect(parseS3Uri(uri), uri).toEqual({ bucket: "bucket", key, versionId: null });
      expect(parseS3Uri(s3Uri("bucket", key, "3/L4kqtJl+cw=="))).toEqual({
        bucket: "bucket",
        key,
        versionId: "3/L4kqtJl+cw==",
      });
    }
    expect(s3Uri("bucket", "a b/c.txt", null)).toBe("s3://bucket/a%20b/c.txt");
    expect(parseS3Uri("s3://bucket")).toEqual({ bucket: "bucket", key: "", versionId: null });
    expect(parseS3Uri("s3://bucket/k?versionId=")).toEqual({ bucket: "bucket", key: "k", versionId: null });
    // As a user may write them: a raw `+` in a version id, a bare `%` in a key.
    expect(parseS3Uri("s3://bucket/100%/k?x=1&versionId=a+b")).toEqual({
      bucket: "bucket",
      key: "100%/k",
      versionId: "a+b",
    });
  });

  it("names a reference by its URI's last segment, unescaped, unless given a name", () => {
    const artifact = new Artifact("names", "dataset")
      .addReference("s3://bucket/dir/a%20b.txt", { checksum: false })
      .addReference("https://example.org/files/report%20final.pdf?download=1", { checksum: false })
      .addReference("s3://whole-bucket", { checksum: false })
      .addReference("s3://bucket/dir/", { name: "given", checksum: false });
    expect(artifact.pendingEntries().map((e) => e.path)).toEqual([
      "a b.txt",
      "given",
      "report final.pdf",
      "whole-bucket",
    ]);
    expect(() => artifact.addReference("s3://b/k", { maxObjects: 0 })).toThrow(
      /maxObjects must be a whole number/,
    );
  });
});
