/** What failed and what to do: the server's own message, plus a retry. */
import { ApiError } from "../../api/client.js";

export interface ErrorStateProps {
  error: unknown;
  onRetry?: () => void;
}

export function ErrorState({ error, onRetry }: ErrorStateProps) {
  const { title, hint } = describe(error);
  return (
    <div className="status-box status-error" data-testid="error-state" role="alert">
      <h2>{title}</h2>
      <p className="status-text">{hint}</p>
      {onRetry !== undefined && (
        <button type="button" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}

function describe(error: unknown): { title: string; hint: string } {
  if (error instanceof ApiError) {
    if (error.status === 401 || error.status === 403) {
      return {
        title: "Not signed in",
        hint: `${error.message} — this server needs an API key: run \`stepwise login\` and paste the key into localStorage "stepwise.apiKey", or open the UI on the server's machine.`,
      };
    }
    if (error.status === 404) return { title: "Not found", hint: error.message };
    if (error.status === 0) return { title: "Server unreachable", hint: error.message };
    return { title: `The server answered ${error.status}`, hint: error.message };
  }
  return { title: "Something went wrong", hint: error instanceof Error ? error.message : String(error) };
}
