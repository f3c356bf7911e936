/** What every W&B request's resolvers reach: the app's dependencies, who asks, and where from. */
import type { Principal } from "../auth/principal.js";
import type { AppDeps } from "../http/app-env.js";
import type { PendingArtifacts } from "./artifact-pending.js";
import type { ConsoleResume } from "./console-resume.js";

export interface WandbContext {
  deps: AppDeps;
  principal: Principal;
  /** `http://host:port` as the client reached this server: upload URLs are built on it. */
  origin: string;
  log: (line: string) => void;
  /** Console offsets of resumed clients (console-resume.ts), shared by every request. */
  consoleResume: ConsoleResume;
  /** Artifacts being logged, and the blob MD5s known (artifact-pending.ts), shared likewise. */
  artifacts: PendingArtifacts;
}
