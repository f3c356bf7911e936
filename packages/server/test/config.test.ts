/** loadConfig: defaults, environment, flags over environment, and errors that name the option. */
import { resolve } from "node:path";
import { describe, expect, test } from "vitest";
import { UsageError } from "@stepwise/protocol";
import { loadConfig } from "../src/config.js";

describe("loadConfig", () => {
  test("defaults: 127.0.0.1:8080, ./stepwise-data, 60 s crash timeout, 64/256 MiB bodies, loopback trust, slow-client limits", () => {
    expect(loadConfig({}, {})).toEqual({
      port: 8080,
      host: "127.0.0.1",
      dataDir: resolve("stepwise-data"),
      crashTimeoutS: 60,
      maxBodyBytes: 64 * 1024 * 1024,
      maxDecompressedBytes: 256 * 1024 * 1024,
      trustLoopback: true,
      webRoot: null,
      headersTimeoutS: 20,
      requestTimeoutS: 300,
      idleTimeoutS: 60,
      maxConnectionsPerClient: 128,
      maxFileBytes: 5 * 1024 ** 4,
      gcIntervalS: 3600,
      alerts: { destinations: [], timeoutS: 10, maxAttempts: 5, retryS: 2 },
      // Hourly: applies the artifact versions' TTLs even with no policy file.
      artifactRetention: { intervalS: 3600, policies: [] },
    });
  });

  test("environment variables apply, flags win over them", () => {
    const env = {
      STEPWISE_PORT: "9000",
      STEPWISE_HOST: "0.0.0.0",
      STEPWISE_CRASH_TIMEOUT_S: "5",
      STEPWISE_TRUST_LOOPBACK: "0",
    };
    expect(loadConfig({}, env)).toMatchObject({
      port: 9000,
      host: "0.0.0.0",
      crashTimeoutS: 5,
      trustLoopback: false,
    });
    expect(loadConfig({ port: "0", data: "/tmp/x" }, env)).toMatchObject({ port: 0, dataDir: "/tmp/x" });
  });

  test("slow-client limits from the environment and flags", () => {
    const env = {
      STEPWISE_HEADERS_TIMEOUT_S: "5",
      STEPWISE_REQUEST_TIMEOUT_S: "60",
      STEPWISE_IDLE_TIMEOUT_S: "2.5",
      STEPWISE_MAX_CONNECTIONS_PER_CLIENT: "0",
    };
    expect(loadConfig({}, env)).toMatchObject({
      headersTimeoutS: 5,
      requestTimeoutS: 60,
      idleTimeoutS: 2.5,
      maxConnectionsPerClient: 0,
    });
    expect(loadConfig({ maxConnectionsPerClient: "16" }, env).maxConnectionsPerClient).toBe(16);
  });

  test("file limit and garbage collection interval from the environment and flags", () => {
    const env = { STEPWISE_MAX_FILE_BYTES: "1048576", STEPWISE_GC_INTERVAL_S: "0" };
    expect(loadConfig({}, env)).toMatchObject({ maxFileBytes: 1_048_576, gcIntervalS: 0 });
    expect(loadConfig({ maxFileBytes: "10", gcIntervalS: "60" }, env)).toMatchObject({
      maxFileBytes: 10,
      gcIntervalS: 60,
    });
  });

  test("webRoot: none by default, a flag or STEPWISE_WEB_ROOT made absolute", () => {
    expect(loadConfig({}, {}).webRoot).toBeNull();
    expect(loadConfig({ webRoot: "web/dist" }, {}).webRoot).toBe(resolve("web/dist"));
    expect(loadConfig({}, { STEPWISE_WEB_ROOT: "/srv/ui" }).webRoot).toBe("/srv/ui");
    expect(loadConfig({ webRoot: "/a" }, { STEPWISE_WEB_ROOT: "/b" }).webRoot).toBe("/a");
  });

  test.each([
    [{ port: "http" }, {}, "--port must be an integer from 0 to 65535"],
    [{ port: 70000 }, {}, "--port"],
    [{}, { STEPWISE_PORT: "-1" }, "STEPWISE_PORT must be"],
    [{ crashTimeoutS: "0" }, {}, "--crash-timeout must be a number of seconds greater than 0"],
    [{}, { STEPWISE_TRUST_LOOPBACK: "maybe" }, "STEPWISE_TRUST_LOOPBACK must be true or false"],
    [{ host: "" }, {}, "--host"],
    [{ maxBodyBytes: 2048, maxDecompressedBytes: 1024 }, {}, "must be at least the body limit"],
    [{}, { STEPWISE_HEADERS_TIMEOUT_S: "0" }, "STEPWISE_HEADERS_TIMEOUT_S must be a number of seconds"],
    [{ idleTimeoutS: "soon" }, {}, "--idle-timeout must be a number of seconds"],
    [{}, { STEPWISE_MAX_CONNECTIONS_PER_CLIENT: "1.5" }, "must be a whole number of connections"],
    [{ headersTimeoutS: 60, requestTimeoutS: 30 }, {}, "must be at least the headers timeout"],
    [{ maxFileBytes: "0" }, {}, "--max-file-bytes must be a byte count of at least 1"],
    [{}, { STEPWISE_MAX_FILE_BYTES: "1e3.5" }, "STEPWISE_MAX_FILE_BYTES must be"],
    [{ gcIntervalS: "-1" }, {}, "--gc-interval must be a number of seconds (0 = never)"],
  ])("refuses %j %j naming the option", (flags, env, message) => {
    expect(() => loadConfig(flags, env)).toThrow(UsageError);
    expect(() => loadConfig(flags, env)).toThrow(message);
  });

  test("blobs: local by default; --blobs or STEPWISE_BLOBS names an S3 bucket and prefix, reached with the AWS variables", () => {
    expect(loadConfig({}, {}).blobs).toBeUndefined();
    const aws = {
      AWS_ENDPOINT_URL: "http://minio:9000/",
      AWS_REGION: "eu-central-1",
      AWS_ACCESS_KEY_ID: "id",
      AWS_SECRET_ACCESS_KEY: "secret",
    };
    expect(loadConfig({}, { ...aws, STEPWISE_BLOBS: "s3://team-files/stepwise/prod/" }).blobs).toEqual({
      bucket: "team-files",
      prefix: "stepwise/prod/",
      endpoint: "http://minio:9000",
      region: "eu-central-1",
      forcePathStyle: true,
      credentials: { accessKeyId: "id", secretAccessKey: "secret" },
    });
    expect(loadConfig({ blobs: "s3://flag-wins" }, { STEPWISE_BLOBS: "s3://env-bucket/x" }).blobs).toEqual({
      bucket: "flag-wins",
      prefix: "",
      region: "us-east-1",
      forcePathStyle: false,
    });
    expect(() => loadConfig({ blobs: "/var/files" }, {})).toThrow(/--blobs must be s3:\/\/<bucket>/);
    expect(() => loadConfig({}, { STEPWISE_BLOBS: "s3://UPPER/x" })).toThrow(/STEPWISE_BLOBS must be s3:/);
    expect(() => loadConfig({ blobs: "s3://b-1/a/../b" }, {})).toThrow(UsageError);
    expect(() => loadConfig({ blobs: "s3://b-1" }, { AWS_ACCESS_KEY_ID: "only-id" })).toThrow(
      /AWS_SECRET_ACCESS_KEY/,
    );
  });
});
