/** The "no runs yet" explanation shared by the projects page and an empty workspace. */
import { baseUrlHint } from "../../lib/first-run-snippet.js";

export function FirstRunHelp({ what }: { what: string }) {
  const hint = baseUrlHint(window.location.origin);
  return (
    <>
      {what} Install the SDK (<code>npm install @stepwise/sdk</code>)
      {hint === null ? (
        ", then run:"
      ) : (
        <>
          , set <code>{hint}</code>, then run:
        </>
      )}
    </>
  );
}
