/**
 * The S3 store's synchronous presigned GET URLs (blob/s3-presign.ts) are exactly the AWS SDK's
 * own (@aws-sdk/s3-request-presigner) for the same credentials, key and time: path-style on a
 * custom endpoint and virtual-hosted on AWS, with a session token and a key that needs
 * encoding. (The test S3 server, s3rver, does not verify SigV4 signatures itself.)
 */
import { GetObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { describe, expect, it } from "vitest";
import type { S3Settings } from "../src/blob/s3-location.js";
import { MAX_PRESIGN_S, presignGet } from "../src/blob/s3-presign.js";

const credentials = {
  accessKeyId: "AKIDEXAMPLE",
  secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
  sessionToken: "session/token+=",
};
const key = "team a/run~1+x/blobs/sha256/ab/ab01";
const now = new Date("2026-12-07T17:00:00Z");

async function sdkUrl(settings: S3Settings, expiresIn: number): Promise<string> {
  const client = new S3Client({
    region: settings.region,
    forcePathStyle: settings.forcePathStyle,
    credentials,
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
    ...(settings.endpoint === undefined ? {} : { endpoint: settings.endpoint }),
  });
  try {
    return await getSignedUrl(client, new GetObjectCommand({ Bucket: settings.bucket, Key: key }), {
      expiresIn,
      signingDate: now,
    });
  } finally {
    client.destroy();
  }
}

describe("presignGet", () => {
  it.each<[string, S3Settings]>([
    [
      "a custom endpoint, path-style",
      {
        bucket: "stepwise",
        prefix: "",
        endpoint: "http://127.0.0.1:9000",
        region: "us-east-1",
        forcePathStyle: true,
      },
    ],
    ["AWS, virtual-hosted", { bucket: "my-bucket", prefix: "", region: "eu-west-1", forcePathStyle: false }],
  ])("signs as the AWS SDK does on %s", async (_name, settings) => {
    const mine = presignGet(settings, credentials, key, now.getTime() / 1000 + 600, now);
    expect(mine).toBe(await sdkUrl(settings, 600));
  });

  it("never outlives S3's 7-day limit or the credentials", () => {
    const settings: S3Settings = { bucket: "b", prefix: "", region: "us-east-1", forcePathStyle: false };
    const nowS = now.getTime() / 1000;
    const far = new URL(presignGet(settings, credentials, key, nowS + 30 * 86_400, now));
    expect(far.searchParams.get("X-Amz-Expires")).toBe(String(MAX_PRESIGN_S));
    const expiring = { ...credentials, expiration: new Date(now.getTime() + 900_000) };
    const capped = new URL(presignGet(settings, expiring, key, nowS + 86_400, now));
    expect(capped.searchParams.get("X-Amz-Expires")).toBe("900");
  });
});
