/**
 * `stepwise keys ls|create|revoke` against a real server (trusting loopback, so the test itself
 * acts as the local admin): a created key works at once and stops working the moment it is
 * revoked, listings never carry a secret, and the server's refusals keep their exit codes.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { Writable } from "node:stream";
import { join } from "node:path";
import { parseExtended } from "@stepwise/protocol";
import { Api } from "@stepwise/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { startTestServer, type TestServer } from "../support/api-server.js";
import { memoryIo } from "./memory-io.js";
import { BIN, runShell } from "./run-cli.js";

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => server.close());

async function keys(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIo();
  const code = await main(["keys", ...args, "--base-url", server.url], io);
  return { code, out: io.out(), err: io.err() };
}

/** Creates a key through the CLI; resolves to its secret, as printed on stdout. */
async function createKey(...args: string[]): Promise<string> {
  const { code, out, err } = await keys("create", ...args);
  expect(code).toBe(0);
  expect(err).toMatch(/shown only this once/);
  return out.trimEnd();
}

describe("stepwise keys create", () => {
  it("prints only the new key on stdout, and the key works for requests at once", async () => {
    const { code, out, err } = await keys("create", "--name", "ci", "--entity", "team");
    expect(code).toBe(0);
    expect(out).toMatch(/^sw-[A-Za-z0-9]{40}\n$/);
    expect(err).toMatch(/^created API key [0-9a-f]+ \('ci', entity 'team'\) on http:\/\/127\.0\.0\.1:\d+; /);
    expect(err).toMatch(/its secret is shown only this once: store it now\n$/);

    const viewer = await new Api({ baseUrl: server.url, apiKey: out.trimEnd() }).viewer();
    expect(viewer).toMatchObject({ name: "ci", entity: "team", admin: false, via: "key" });
  });

  it("stores the key with '> file' in a shell, and the stored key works", async () => {
    const dir = mkdtempSync(join(tmpdir(), "stepwise-keys-"));
    try {
      const stepwise = `"${process.execPath}" "${BIN}"`;
      const { stderr } = await runShell(
        `set -e; cd "${dir}"; ${stepwise} keys create --name shell --entity team --admin --base-url ${server.url} > key; ` +
          `${stepwise} keys ls --api-key "$(cat key)" --base-url ${server.url} > /dev/null`,
      );
      expect(stderr).toMatch(/^created API key [0-9a-f]+ \('shell', admin\) on .*shown only this once/);
      expect(readFileSync(join(dir, "key"), "utf8")).toMatch(/^sw-[A-Za-z0-9]{40}\n$/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("with --json prints the new key's record, secret included, as one line", async () => {
    const { code, out } = await keys(
      "create",
      "--name",
      "json-made",
      "--entity",
      "team",
      "--admin",
      "--json",
    );
    expect(code).toBe(0);
    const lines = out.trimEnd().split("\n");
    expect(lines).toHaveLength(1);
    const created = parseExtended(lines[0] ?? "") as { key: string; name: string; admin: boolean };
    expect(created).toMatchObject({ name: "json-made", admin: true });
    expect((await new Api({ baseUrl: server.url, apiKey: created.key }).viewer()).admin).toBe(true);
  });

  it("names the key to revoke when its secret cannot be written (disk full)", async () => {
    const io = memoryIo();
    io.stdout = new Writable({
      write(_chunk, _encoding, callback) {
        callback(
          Object.assign(new Error("ENOSPC: no space left on device, write"), {
            code: "ENOSPC",
            syscall: "write",
          }),
        );
      },
    });
    const code = await main(["keys", "create", "--name", "lost", "--base-url", server.url], io);
    expect(code).toBe(1);
    const id = /API key ([0-9a-f]+) was created, but its secret did not reach standard output/.exec(
      io.err(),
    )?.[1];
    expect(io.err()).toContain(`revoke it with 'stepwise keys revoke ${id}' and create another`);
    expect(io.err()).toMatch(/stepwise: error: ENOSPC: no space left on device, write\n$/);
    expect((await new Api({ baseUrl: server.url }).apiKeys()).find((key) => key.id === id)?.name).toBe(
      "lost",
    );
  });

  it("exits 2 without --name, naming the option", async () => {
    const { code, out, err } = await keys("create", "--entity", "team");
    expect({ code, out }).toEqual({ code: 2, out: "" });
    expect(err).toMatch(/keys create needs --name <name>/);
    expect(err).toMatch(/Run 'stepwise keys --help' for usage\./);
  });
});

describe("stepwise keys ls", () => {
  it("lists every key as a table, and no secret anywhere in the output", async () => {
    const used = await createKey("--name", "alice laptop", "--entity", "alice", "--admin");
    const unused = await createKey("--name", "unused", "--entity", "bob");
    const { code, out, err } = await keys("ls", "--api-key", used);
    expect({ code, err }).toEqual({ code: 0, err: "" });
    const [header, ...rows] = out.trimEnd().split("\n");
    expect(header?.split(/\s{2,}/)).toEqual([
      "ID",
      "NAME",
      "ENTITY",
      "ADMIN",
      "CREATED (UTC)",
      "LAST USED (UTC)",
    ]);
    const minute = /\d{4}-\d\d-\d\d \d\d:\d\d/.source;
    expect(rows).toContainEqual(
      expect.stringMatching(
        new RegExp(`^[0-9a-f]+\\s+alice laptop\\s+alice\\s+yes\\s+${minute}\\s+${minute}$`),
      ),
    );
    expect(rows).toContainEqual(
      expect.stringMatching(new RegExp(`^[0-9a-f]+\\s+unused\\s+bob\\s+no\\s+${minute}\\s+never$`)),
    );
    // The server's first-start admin key is listed too, oldest first.
    expect(rows[0]).toMatch(/^[0-9a-f]+\s+admin\s+local\s+yes\s/);
    for (const secret of [used, unused]) expect(out + err).not.toContain(secret);
    expect(out).not.toMatch(/sw[-_][A-Za-z0-9]/);
  });

  it("with --json prints one key per line with the listed fields and no secret", async () => {
    const secret = await createKey("--name", "listed", "--entity", "team");
    const { code, out } = await keys("ls", "--json");
    expect(code).toBe(0);
    const listed = out
      .trimEnd()
      .split("\n")
      .map((line) => parseExtended(line) as Record<string, unknown>);
    const mine = listed.find((key) => key["name"] === "listed");
    expect(Object.keys(mine ?? {}).sort()).toEqual([
      "admin",
      "createdAt",
      "entity",
      "id",
      "lastUsedAt",
      "name",
    ]);
    expect(mine).toMatchObject({ entity: "team", admin: false, lastUsedAt: null });
    expect(out).not.toContain(secret);
    expect(out).not.toMatch(/sw[-_][A-Za-z0-9]/);
  });

  it("exits 6 with a key that is not an admin's", async () => {
    const secret = await createKey("--name", "not-admin", "--entity", "team");
    const { code, out, err } = await keys("ls", "--api-key", secret);
    expect({ code, out }).toEqual({ code: 6, out: "" });
    expect(err).toMatch(
      /^stepwise: error: listing API keys needs an admin API key; key 'not-admin' is not one\n$/,
    );
  });
});

describe("stepwise keys revoke", () => {
  it("revokes a key: the very next request with it is refused, and ls no longer shows it", async () => {
    const secret = await createKey("--name", "to-revoke", "--entity", "team", "--admin");
    expect((await keys("ls", "--api-key", secret)).code).toBe(0);
    const id = (await new Api({ baseUrl: server.url, apiKey: secret }).viewer()).keyId ?? "";

    const revoked = await keys("revoke", id);
    expect(revoked).toEqual({
      code: 0,
      out: "",
      err: `revoked API key ${id} ('to-revoke', entity 'team'); the server refuses it from now on\n`,
    });

    const refused = await keys("ls", "--api-key", secret);
    expect({ code: refused.code, out: refused.out }).toEqual({ code: 6, out: "" });
    expect(refused.err).toMatch(/the API key is not valid on this server/);
    expect((await keys("ls")).out).not.toMatch(new RegExp(`^${id}\\s`, "m"));
  });

  it("with --json prints the revoked key's record", async () => {
    const secret = await createKey("--name", "revoked-json", "--entity", "team");
    const id = (await new Api({ baseUrl: server.url, apiKey: secret }).viewer()).keyId ?? "";
    const { code, out } = await keys("revoke", id, "--json");
    expect(code).toBe(0);
    expect(parseExtended(out.trimEnd())).toMatchObject({ id, name: "revoked-json", entity: "team" });
  });

  it("exits 4 for an id no key has", async () => {
    const { code, out, err } = await keys("revoke", "0123456789abcdef");
    expect({ code, out }).toEqual({ code: 4, out: "" });
    expect(err).toMatch(/^stepwise: error: no API key has id '0123456789abcdef'/);
    // It points at the command that lists the ids, not only at the HTTP route.
    expect(err).toContain("'stepwise keys ls'");
  });

  it("exits 2 with the server's message for the last admin key, which keeps working", async () => {
    const fresh = await startTestServer();
    try {
      const api = new Api({ baseUrl: fresh.url });
      const admins = (await api.apiKeys()).filter((key) => key.admin);
      expect(admins).toHaveLength(1);
      const io = memoryIo();
      const code = await main(["keys", "revoke", admins[0]?.id ?? "", "--base-url", fresh.url], io);
      expect({ code, out: io.out() }).toEqual({ code: 2, out: "" });
      expect(io.err()).toMatch(
        /is the last admin key; create another admin key first, then revoke this one\n$/,
      );
      expect((await api.apiKeys()).filter((key) => key.admin)).toEqual(admins);
    } finally {
      await fresh.close();
    }
  });

  it("exits 2 without an id", async () => {
    const { code, err } = await keys("revoke");
    expect(code).toBe(2);
    expect(err).toMatch(/keys revoke needs a key id as 'stepwise keys ls' shows it/);
  });
});

describe("stepwise keys usage", () => {
  it.each([
    ["keys", "--help"],
    ["keys", "ls", "--help"],
    ["help", "keys"],
  ])("%s %s prints the help", async (...argv) => {
    const io = memoryIo();
    expect(await main(argv, io)).toBe(0);
    expect(io.out()).toMatch(/^Usage: stepwise keys ls \[--json\]\n/);
    expect(io.out()).toMatch(/stepwise keys create --name ci --entity team > ci-key/);
  });

  it("exits 2 for a missing or unknown subcommand, or an option of another subcommand", async () => {
    for (const [argv, message] of [
      [[], /missing subcommand: ls, create or revoke/],
      [["rm", "x"], /unknown subcommand 'rm'; use ls, create or revoke/],
      [["ls", "--name", "x"], /unknown option '--name'/],
    ] as const) {
      const io = memoryIo();
      expect(await main(["keys", ...argv], io)).toBe(2);
      expect(io.err()).toMatch(message);
    }
  });

  it("is listed in stepwise --help", async () => {
    const io = memoryIo();
    expect(await main(["--help"], io)).toBe(0);
    expect(io.out()).toMatch(/^ {2}keys +list, create and revoke the server's API keys \(admin\)$/m);
  });
});
