/** Placeholder until its owner builds it. */
export function ComparePage() {
  return <div className="page">ComparePage</div>;
}
