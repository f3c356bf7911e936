/** "Nothing here yet" with what to do about it, and an optional copyable snippet. */
import type { ReactNode } from "react";
import { CodeSnippet } from "./CodeSnippet.js";

export interface EmptyStateProps {
  title: string;
  children?: ReactNode;
  snippet?: string;
}

export function EmptyState({ title, children, snippet }: EmptyStateProps) {
  return (
    <div className="status-box" data-testid="empty-state">
      <h2>{title}</h2>
      {children !== undefined && <div className="status-text">{children}</div>}
      {snippet !== undefined && <CodeSnippet code={snippet} />}
    </div>
  );
}
