/**
 * Caps the connections one remote address holds open at once. A connection past the cap is
 * closed as it arrives, before it costs more than its socket: ~1,000 slow connections from one
 * client must not take every file descriptor of a server with the common 1,024 limit, and so
 * deny service to the others.
 */
import type { Server } from "node:http";
import type { Socket } from "node:net";

export function capConnectionsPerClient(server: Server, max: number, log: (line: string) => void): void {
  if (max <= 0) return;
  const open = new Map<string, number>();
  server.on("connection", (socket: Socket) => {
    const address = clientAddress(socket);
    const count = open.get(address) ?? 0;
    if (count >= max) {
      log(
        `refused connections from ${address}: it already holds ${max} open connections ` +
          "(STEPWISE_MAX_CONNECTIONS_PER_CLIENT; behind a reverse proxy, raise it or set 0)",
      );
      socket.destroy();
      return;
    }
    open.set(address, count + 1);
    socket.once("close", () => {
      const left = (open.get(address) ?? 1) - 1;
      if (left <= 0) open.delete(address);
      else open.set(address, left);
    });
  });
}

/** `::ffff:10.0.0.1` and `10.0.0.1` are one client. */
function clientAddress(socket: Socket): string {
  const address = socket.remoteAddress ?? "unknown";
  return address.startsWith("::ffff:") ? address.slice("::ffff:".length) : address;
}
