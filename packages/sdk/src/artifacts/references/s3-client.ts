/**
 * The S3 client of `s3://` references, loaded only when one is used: `@aws-sdk/client-s3` is
 * imported dynamically, so a process that never references S3 never loads it (and need not have
 * it installed). Where to reach S3 comes from the usual AWS environment variables, by the rule
 * the server's S3 blob store uses too (protocol's s3-environment.ts).
 */
import type * as S3Sdk from "@aws-sdk/client-s3";
import { s3ClientSettings, UsageError } from "@stepwise/protocol";

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
  const settings = s3ClientSettings(env, "s3:// artifact references: ");
  const client = new sdk.S3Client(settings);
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
