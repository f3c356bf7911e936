/**
 * Where an S3 blob store keeps its objects: `s3://bucket/prefix` (from `--blobs` or
 * STEPWISE_BLOBS) plus the usual AWS environment variables for the endpoint, region and
 * credentials. A custom endpoint (MinIO, Ceph, s3rver, …) is addressed path-style. Pure: no SDK.
 */
import { UsageError } from "@stepwise/protocol";

export interface S3Location {
  bucket: string;
  /** Key prefix, empty or ending in "/". */
  prefix: string;
}

export interface S3Settings extends S3Location {
  /** AWS_ENDPOINT_URL_S3 or AWS_ENDPOINT_URL; absent: AWS itself. */
  endpoint?: string;
  /** AWS_REGION or AWS_DEFAULT_REGION; default us-east-1. */
  region: string;
  /** Path-style addressing (`endpoint/bucket/key`): on for a custom endpoint, or AWS_S3_FORCE_PATH_STYLE=1. */
  forcePathStyle: boolean;
  /** From AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (/ AWS_SESSION_TOKEN); absent: the SDK's default chain (profiles, instance roles). */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
}

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
  const endpoint = (env.AWS_ENDPOINT_URL_S3 ?? env.AWS_ENDPOINT_URL ?? "").trim();
  const region = (env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? "").trim() || "us-east-1";
  const pathStyle = /^(1|true|yes)$/i.test(env.AWS_S3_FORCE_PATH_STYLE ?? "");
  const accessKeyId = env.AWS_ACCESS_KEY_ID?.trim();
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY?.trim();
  if ((accessKeyId === undefined) !== (secretAccessKey === undefined))
    throw new UsageError("set both AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or neither");
  if (endpoint !== "" && !/^https?:\/\/[^/]+/.test(endpoint))
    throw new UsageError(
      `AWS_ENDPOINT_URL must be an http(s) URL; got ${JSON.stringify(endpoint.slice(0, 200))}`,
    );
  const token = env.AWS_SESSION_TOKEN?.trim();
  return {
    ...location,
    ...(endpoint === "" ? {} : { endpoint: endpoint.replace(/\/+$/, "") }),
    region,
    forcePathStyle: endpoint !== "" || pathStyle,
    ...(accessKeyId === undefined || secretAccessKey === undefined
      ? {}
      : {
          credentials: {
            accessKeyId,
            secretAccessKey,
            ...(token === undefined || token === "" ? {} : { sessionToken: token }),
          },
        }),
  };
}
