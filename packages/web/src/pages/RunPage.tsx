/** Placeholder until its owner builds it. */
export function RunPage() {
  return <div className="page">RunPage</div>;
}
