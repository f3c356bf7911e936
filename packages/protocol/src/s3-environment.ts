/**
 * Where an S3 client connects, from the usual AWS environment variables — one rule for the
 * server's S3 blob store and the SDK's s3:// artifact references: AWS_ENDPOINT_URL_S3 or
 * AWS_ENDPOINT_URL (W&B's AWS_S3_ENDPOINT_URL too) for an S3-compatible store (MinIO, Ceph,
 * s3rver, …, addressed path-style), AWS_REGION or AWS_DEFAULT_REGION (default us-east-1),
 * AWS_ACCESS_KEY_ID + AWS_SECRET_ACCESS_KEY (+ AWS_SESSION_TOKEN), else the AWS SDK's own chain
 * (profiles, instance roles). AWS_S3_FORCE_PATH_STYLE=1 asks for path-style on AWS itself.
 */
import { UsageError } from "./errors.js";

export interface S3ClientSettings {
  /** The endpoint URL without a trailing slash; absent: AWS itself. */
  endpoint?: string;
  region: string;
  /** Path-style addressing (`endpoint/bucket/key`): on for a custom endpoint, or AWS_S3_FORCE_PATH_STYLE=1. */
  forcePathStyle: boolean;
  /** Absent: the SDK's default credential chain. */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
}

/**
 * The client settings `env` gives; UsageError naming the variable and the fix, its message
 * prefixed with `context` (e.g. "s3:// artifact references: ").
 */
export function s3ClientSettings(env: Record<string, string | undefined>, context = ""): S3ClientSettings {
  const endpoint = (
    env["AWS_ENDPOINT_URL_S3"] ??
    env["AWS_S3_ENDPOINT_URL"] ??
    env["AWS_ENDPOINT_URL"] ??
    ""
  ).trim();
  const region = (env["AWS_REGION"] ?? env["AWS_DEFAULT_REGION"] ?? "").trim() || "us-east-1";
  const pathStyle = /^(1|true|yes)$/i.test(env["AWS_S3_FORCE_PATH_STYLE"] ?? "");
  const accessKeyId = env["AWS_ACCESS_KEY_ID"]?.trim();
  const secretAccessKey = env["AWS_SECRET_ACCESS_KEY"]?.trim();
  if ((accessKeyId === undefined) !== (secretAccessKey === undefined))
    throw new UsageError(`${context}set both AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or neither`);
  if (endpoint !== "" && !/^https?:\/\/[^/]+/.test(endpoint))
    throw new UsageError(
      `${context}AWS_ENDPOINT_URL must be an http(s) URL; got ${JSON.stringify(endpoint.slice(0, 200))}`,
    );
  const token = env["AWS_SESSION_TOKEN"]?.trim();
  return {
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
