/**
 * Where an S3 blob store keeps its objects: `s3://bucket/prefix` (from `--blobs` or
 * STEPWISE_BLOBS) plus the usual AWS environment variables for the endpoint, region and
 * credentials (protocol's s3-environment.ts, shared with the SDK). Pure: no SDK.
 */
import { s3ClientSettings, UsageError, type S3ClientSettings } from "@stepwise/protocol";

export interface S3Location {
  bucket: string;
  /** Key prefix, empty or ending in "/". */
  prefix: string;
}

/** An S3 location and how to reach it (protocol's s3ClientSettings). */
export interface S3Settings extends S3Location, S3ClientSettings {}

const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** `s3://bucket` or `s3://bucket/some/prefix`; UsageError naming `source` otherwise. */
export function parseS3Location(url: string, source = "--blobs"): S3Location {
  const match = /^s3:\/\/([^/]+)(?:\/(.*))?$/.exec(url.trim());
  const bucket = match?.[1] ?? "";
  if (match === null || !BUCKET.test(bucket))
    throw new UsageError(
      `${source} must be s3://<bucket>[/<prefix>] (a bucket name of 3 to 63 lowercase letters, digits, dots and hyphens); got ${JSON.stringify(url.slice(0, 200))}`,
    );
  const path = (match[2] ?? "").replace(/^\/+|\/+$/g, "");
  if (path.split("/").some((part) => part === "." || part === ".."))
    throw new UsageError(
      `${source}: the prefix may not hold '.' or '..' segments; got ${JSON.stringify(path)}`,
    );
  return { bucket, prefix: path === "" ? "" : `${path}/` };
}

/** The settings for `location` from the AWS environment variables. */
export function s3Settings(location: S3Location, env: NodeJS.ProcessEnv): S3Settings {
  return { ...location, ...s3ClientSettings(env) };
}
