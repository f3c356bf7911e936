/**
 * Loopback checks. A request from loopback may be trusted only when the server binds loopback
 * too: then nobody outside this machine can reach it at all.
 */
import { isIP } from "node:net";

/** 127.0.0.0/8, ::1, and their IPv4-mapped IPv6 spelling. */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (address === undefined) return false;
  const bare = address.startsWith("::ffff:") ? address.slice("::ffff:".length) : address;
  if (isIP(bare) === 4) return bare.startsWith("127.");
  return bare === "::1" || bare === "0:0:0:0:0:0:0:1";
}

/** Whether binding this host listens on loopback only (`localhost` included). */
export function isLoopbackHost(host: string): boolean {
  const bare = host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host;
  return bare.toLowerCase() === "localhost" || isLoopbackAddress(bare);
}

/**
 * Whether loopback requests without a key act as admin: asked for (the default) and the server
 * binds loopback, else anyone on the network would be "local".
 */
export function trustsLoopback(config: { trustLoopback: boolean; host: string }): boolean {
  return config.trustLoopback && isLoopbackHost(config.host);
}
