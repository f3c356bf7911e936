/**
 * A run's embed part (run.toHtml / display / embedUrl; run-embed.ts has the pieces): the run's
 * embed tokens, made on first use, for a run on a server. A keyed run asks for its first token
 * as soon as it starts (`start()`): `toHtml()` is synchronous and uses the newest one held.
 */
import { UsageError, type RunRef } from "@stepwise/protocol";
import type { ApiConnection } from "../api/api-connection.js";
import {
  checkEmbedOptions,
  checkEmbedUrlOptions,
  displayHtml,
  EmbedTokenCache,
  embedHtml,
  type EmbedOptions,
  type EmbedUrlOptions,
} from "./run-embed.js";

/** What the embed part needs of its run. */
export interface RunEmbedHost {
  /** null: the run is offline or disabled (not on a server). */
  connection: ApiConnection | null;
  ref: RunRef;
  warnOnce: (cause: string, message: string) => void;
}

export class RunEmbed {
  #tokens: EmbedTokenCache | null = null;

  constructor(private readonly host: RunEmbedHost) {}

  /** With a key (a server that needs one), asks for the token toHtml() will use, in the background. */
  start(): void {
    if (this.host.connection?.apiKey != null) this.tokens();
  }

  toHtml(options: EmbedOptions = {}): string {
    checkEmbedOptions(options);
    const tokens = this.tokens();
    if (tokens === null) return embedHtml(null, options);
    const { url, tokened } = tokens.currentUrl();
    if (!tokened && this.host.connection?.apiKey != null)
      this.host.warnOnce(
        "embed-token-pending",
        "run.toHtml: the run holds no embed token yet (still being asked for, or the server gave none), so the iframe shows the run only where the server trusts loopback; `await run.embedUrl()` first to wait for one",
      );
    return embedHtml(url, options);
  }

  async embedUrl(options: EmbedUrlOptions = {}): Promise<string> {
    checkEmbedUrlOptions(options);
    const tokens = this.tokens();
    if (tokens === null)
      throw new UsageError("run.embedUrl: this run is not on a server (offline or disabled); sync it first");
    return tokens.refresh(options);
  }

  display(options?: EmbedOptions): boolean {
    return displayHtml(this.toHtml(options));
  }

  /** The run's embed tokens (null for an offline or disabled run); made, and first asked for, once. */
  private tokens(): EmbedTokenCache | null {
    const connection = this.host.connection;
    if (connection === null) return null;
    if (this.#tokens === null) {
      this.#tokens = new EmbedTokenCache(connection, this.host.ref, this.host.warnOnce);
      this.#tokens.prefetch();
    }
    return this.#tokens;
  }
}
