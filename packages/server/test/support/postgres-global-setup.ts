/**
 * vitest globalSetup of the "postgres" tier (vitest.config.ts): one PostgreSQL 15 cluster for
 * the whole tier, started before its first file and stopped after its last. Its admin URL
 * reaches the test workers through `provide` / `inject("postgresAdminUrl")`; the HTTP harness
 * makes a fresh database on it for every test server. Without the server binaries the tier
 * fails at once with the reason: CI installs postgresql-15, and a silent pass would hide that
 * nothing ran on PostgreSQL (run `npx vitest --project unit` on a machine without them).
 */
import type { TestProject } from "vitest/node";
import { postgresMissing, startPostgres } from "./postgres-process.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** URL of the `postgres` database of the tier's cluster (superuser, trust on 127.0.0.1). */
    postgresAdminUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const missing = postgresMissing();
  if (missing !== null)
    throw new Error(
      `the "postgres" test tier runs the HTTP tests on PostgreSQL and needs its server binaries: ${missing} ` +
        `(or leave the tier out: npx vitest --project unit)`,
    );
  const cluster = await startPostgres();
  project.provide("postgresAdminUrl", cluster.url("postgres"));
  return () => cluster.stop();
}
