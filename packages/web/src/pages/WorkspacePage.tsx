/** Placeholder until its owner builds it. */
export function WorkspacePage() {
  return <div className="page">WorkspacePage</div>;
}
