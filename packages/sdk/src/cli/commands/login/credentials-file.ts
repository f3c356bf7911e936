/**
 * Writes the credentials file that the SDK's `Api` and the CLI read (`credentialsPath()` in the
 * SDK): `{ baseUrl, apiKey }`, mode 0600 in a 0700 directory, replaced atomically so a crash
 * never leaves half a file.
 */
import { randomBytes } from "node:crypto";
import { chmod, mkdir, rename, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";

export interface Credentials {
  baseUrl: string;
  apiKey: string;
}

export async function writeCredentials(path: string, credentials: Credentials): Promise<void> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const temp = join(dir, `.credentials-${randomBytes(6).toString("hex")}.tmp`);
  try {
    await writeFile(temp, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
    await chmod(temp, 0o600);
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}
