/** Any path that names no view. */
import { Link } from "wouter";

export function NotFoundPage() {
  return (
    <div className="page empty-state" data-testid="not-found">
      <h2>Nothing here</h2>
      <p>
        This address names no page. Go back to <Link href="/">all projects</Link>.
      </p>
    </div>
  );
}
