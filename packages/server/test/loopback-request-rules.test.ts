/**
 * The rules a loopback-trusting server applies to Host, Origin and Sec-Fetch-Site, one case per
 * kind of request a browser or a script can send.
 */
import { describe, expect, it } from "vitest";
import {
  crossOriginProblem,
  loopbackHostProblem,
  parseHostHeader,
} from "../src/auth/loopback-request-rules.js";

describe("Host on a loopback-trusting server (port 8080)", () => {
  it.each(["localhost:8080", "LOCALHOST:8080", "127.0.0.1:8080", "127.8.9.10:8080", "[::1]:8080"])(
    "accepts %s",
    (host) => expect(loopbackHostProblem(host, 8080)).toBeNull(),
  );

  it.each([
    ["a rebinding name", "evil.example:8080"],
    ["another port", "127.0.0.1:9000"],
    ["no port (80)", "localhost"],
    ["a loopback-looking subdomain", "localhost.evil.example:8080"],
    ["a *.localhost name", "app.localhost:8080"],
    ["user info", "evil@127.0.0.1:8080"],
    ["a LAN address", "192.168.1.5:8080"],
    ["the unspecified address", "0.0.0.0:8080"],
    ["a short IPv4 spelling", "127.1:8080"],
    ["an empty header", ""],
  ])("refuses %s", (_what, host) => {
    expect(loopbackHostProblem(host, 8080)).toContain("--no-loopback-trust");
  });

  it("refuses a request without a Host header", () => {
    expect(loopbackHostProblem(undefined, 8080)).toContain("no Host header");
  });

  it("takes a Host without a port as port 80", () => {
    expect(parseHostHeader("localhost")).toEqual({ name: "localhost", port: 80 });
    expect(loopbackHostProblem("localhost", 80)).toBeNull();
  });
});

describe("state-changing requests on a loopback-trusting server", () => {
  const host = "127.0.0.1:8080";
  const base = { method: "POST", host, origin: undefined, secFetchSite: undefined };

  it("lets a client that is not a browser through (no Origin, no Sec-Fetch-Site)", () => {
    for (const method of ["POST", "PUT", "PATCH", "DELETE"])
      expect(crossOriginProblem({ ...base, method })).toBeNull();
  });

  it("lets the server's own pages through", () => {
    expect(
      crossOriginProblem({ ...base, origin: "http://127.0.0.1:8080", secFetchSite: "same-origin" }),
    ).toBeNull();
    expect(
      crossOriginProblem({ ...base, host: "localhost:8080", origin: "http://localhost:8080" }),
    ).toBeNull();
    expect(crossOriginProblem({ ...base, host: "[::1]:8080", origin: "http://[::1]:8080" })).toBeNull();
    expect(crossOriginProblem({ ...base, secFetchSite: "none" })).toBeNull();
  });

  it.each([
    ["another site", { origin: "https://evil.example" }],
    ["another loopback port", { origin: "http://127.0.0.1:3000" }],
    ["another loopback name", { origin: "http://localhost:8080" }],
    ["https on the same host", { origin: "https://127.0.0.1:8080" }],
    ["an opaque origin (sandbox, file:)", { origin: "null" }],
    ["garbage", { origin: "not a url" }],
    ["Sec-Fetch-Site cross-site", { secFetchSite: "cross-site" }],
    ["Sec-Fetch-Site same-site", { secFetchSite: "same-site" }],
    ["same-site with a matching Origin", { secFetchSite: "same-site", origin: "http://127.0.0.1:8080" }],
  ])("refuses %s", (_what, headers) => {
    for (const method of ["POST", "PUT", "PATCH", "DELETE"])
      expect(crossOriginProblem({ ...base, method, ...headers })).toMatch(/^\w+ refused: .*another origin/);
  });

  it("lets reads through whatever their origin (CORS keeps their answers from the page)", () => {
    for (const method of ["GET", "HEAD", "OPTIONS"])
      expect(
        crossOriginProblem({ ...base, method, origin: "https://evil.example", secFetchSite: "cross-site" }),
      ).toBeNull();
  });
});
