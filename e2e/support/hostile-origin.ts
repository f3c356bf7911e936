/**
 * A web page of another origin, as any site the user visits could serve: a tiny node:http server
 * on 127.0.0.1 and a free port (so `http://127.0.0.1:<port>` is same-site to a loopback server
 * and `http://localhost:<port>` cross-site). `attackStepwise` is what such a page's script does:
 * it tries every request a page can send without the server's consent (simple fetches with
 * and without `no-cors`, a beacon, a text/plain form) plus a JSON fetch that needs a preflight,
 * each to create an admin API key and to write a run. It runs in the page (`page.evaluate`).
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface HostileOrigin {
  port: number;
  close(): Promise<void>;
}

export async function startHostileOrigin(): Promise<HostileOrigin> {
  const server: Server = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    res.end("<!doctype html><title>cute cats</title><p>nothing to see here</p>");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export interface AttackInput {
  /** The Stepwise server, e.g. `http://127.0.0.1:8080`. */
  target: string;
  /** Prefix of the key names and run ids each attack asks for. */
  prefix: string;
}

/** One attempt: what the page could observe (`status` is 0 for an opaque answer). */
export interface AttackOutcome {
  name: string;
  result: string;
}

/** The attack names; each asks for a key `<prefix>-<name>` and a run `<prefix>-<name>`. */
export const ATTACKS = ["text-cors", "text-nocors", "json-cors", "json-nocors", "beacon", "form"] as const;

/** Runs in the browser: no imports, no closures over Node values. */
export async function attackStepwise({ target, prefix }: AttackInput): Promise<AttackOutcome[]> {
  const keyBody = (name: string): string =>
    JSON.stringify({ name: `${prefix}-${name}`, entity: "local", admin: true });
  const runBody = JSON.stringify({ history: { offset: 0, rows: [{ _step: 0, pwned: 1 }] } });
  const keys = `${target}/api/v1/keys`;
  const ingest = (name: string): string => `${target}/api/v1/runs/local/hostile/${prefix}-${name}/ingest`;
  const outcomes: AttackOutcome[] = [];
  const attempt = async (name: string, send: () => Promise<Response>): Promise<void> => {
    try {
      const response = await send();
      outcomes.push({ name, result: `status ${response.status} (${response.type})` });
    } catch (error) {
      outcomes.push({ name, result: `failed: ${String(error)}` });
    }
  };
  const fetches: Array<[string, string, RequestInit]> = [
    ["text-cors", "text/plain", {}],
    ["text-nocors", "text/plain", { mode: "no-cors" }],
    ["json-cors", "application/json", {}],
    // In no-cors mode the browser drops a Content-Type that is not CORS-safelisted: text/plain is sent.
    ["json-nocors", "application/json", { mode: "no-cors" }],
  ];
  for (const [name, type, init] of fetches) {
    const headers = { "content-type": type };
    await attempt(`${name} key`, () =>
      fetch(keys, { method: "POST", headers, body: keyBody(name), ...init }),
    );
    await attempt(`${name} run`, () =>
      fetch(ingest(name), { method: "POST", headers, body: runBody, ...init }),
    );
  }
  const beacon = (url: string, body: string): boolean =>
    navigator.sendBeacon(url, new Blob([body], { type: "text/plain" }));
  outcomes.push({ name: "beacon key", result: `queued ${beacon(keys, keyBody("beacon"))}` });
  outcomes.push({ name: "beacon run", result: `queued ${beacon(ingest("beacon"), runBody)}` });
  // A text/plain form sends `name=value`: with this name and value the body is valid JSON.
  const submit = (action: string, json: string): Promise<void> =>
    new Promise((resolve) => {
      const frame = document.createElement("iframe");
      frame.name = `sink-${Math.random().toString(36).slice(2)}`;
      document.body.append(frame); // its about:blank loads here, before the listener
      frame.addEventListener("load", () => resolve(), { once: true });
      const form = document.createElement("form");
      Object.assign(form, { method: "POST", action, enctype: "text/plain", target: frame.name });
      const input = document.createElement("input");
      Object.assign(input, { type: "hidden", name: `${json.slice(0, -1)},"pad":"`, value: `"}` });
      form.append(input);
      document.body.append(form);
      form.submit();
    });
  await submit(keys, keyBody("form"));
  outcomes.push({ name: "form key", result: "submitted" });
  await submit(ingest("form"), runBody);
  outcomes.push({ name: "form run", result: "submitted" });
  return outcomes;
}
