/**
 * The S3 client of `s3://` references, loaded only when one is used: `@aws-sdk/client-s3` is
 * imported dynamically, so a process that never references S3 never loads it (and need not have
 * it installed). Where to reach S3 comes from the usual AWS environment variables, read as the
 * server reads them for its S3 blob store: AWS_ENDPOINT_URL_S3 or AWS_ENDPOINT_URL (an
 * S3-compatible store: MinIO, Ceph, …, addressed path-style; W&B's AWS_S3_ENDPOINT_URL too),
 * AWS_REGION or AWS_DEFAULT_REGION (default us-east-1), AWS_ACCESS_KEY_ID and
 * AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN), else the AWS SDK's own chain (profiles,
 * instance roles). AWS_S3_FORCE_PATH_STYLE=1 asks for path-style addressing on AWS itself.
 */
import type * as S3Sdk from "@aws-sdk/client-s3";
import { UsageError } from "@stepwise/protocol";

/** A type-only import: erased, so the module loads only through `openS3`'s dynamic import. */
type S3Module = typeof S3Sdk;

/** A loaded client and the module's commands. */
export interface S3Access {
  sdk: S3Module;
  client: InstanceType<S3Module["S3Client"]>;
}

/** Loads `@aws-sdk/client-s3` and makes a client from `env`; UsageError saying what to install or set. */
export async function openS3(env: Record<string, string | undefined>): Promise<S3Access> {
  let sdk: S3Module;
  try {
    sdk = await import("@aws-sdk/client-s3");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== "ERR_MODULE_NOT_FOUND" && code !== "MODULE_NOT_FOUND") throw error;
    throw new UsageError(
      "s3:// artifact references need the AWS SDK's S3 client, which is not installed: npm install @aws-sdk/client-s3",
    );
  }
  const endpoint = (
    env["AWS_ENDPOINT_URL_S3"] ??
    env["AWS_S3_ENDPOINT_URL"] ??
    env["AWS_ENDPOINT_URL"] ??
    ""
  ).trim();
  if (endpoint !== "" && !/^https?:\/\/[^/]+/.test(endpoint))
    throw new UsageError(
      `AWS_ENDPOINT_URL (for s3:// artifact references) must be an http(s) URL; got ${JSON.stringify(endpoint.slice(0, 200))}`,
    );
  const region = (env["AWS_REGION"] ?? env["AWS_DEFAULT_REGION"] ?? "").trim() || "us-east-1";
  const accessKeyId = env["AWS_ACCESS_KEY_ID"]?.trim();
  const secretAccessKey = env["AWS_SECRET_ACCESS_KEY"]?.trim();
  if ((accessKeyId === undefined) !== (secretAccessKey === undefined))
    throw new UsageError(
      "s3:// artifact references: set both AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or neither",
    );
  const sessionToken = env["AWS_SESSION_TOKEN"]?.trim();
  const client = new sdk.S3Client({
    region,
    ...(endpoint === "" ? {} : { endpoint: endpoint.replace(/\/+$/, "") }),
    forcePathStyle: endpoint !== "" || /^(1|true|yes)$/i.test(env["AWS_S3_FORCE_PATH_STYLE"] ?? ""),
    ...(accessKeyId === undefined || secretAccessKey === undefined
      ? {}
      : {
          credentials: {
            accessKeyId,
            secretAccessKey,
            ...(sessionToken === undefined || sessionToken === "" ? {} : { sessionToken }),
          },
        }),
  });
  return { sdk, client };
}

/** One client for a whole seal or download, made at the first s3:// reference, destroyed after. */
export class LazyS3 {
  private opened: Promise<S3Access> | null = null;
  constructor(private readonly env: Record<string, string | undefined> = process.env) {}

  get(): Promise<S3Access> {
    this.opened ??= openS3(this.env);
    return this.opened;
  }

  async close(): Promise<void> {
    if (this.opened === null) return;
    try {
      (await this.opened).client.destroy();
    } catch {
      // It never opened: its error went to whoever asked for it.
    }
  }
}
