/** Placeholder until its owner builds it. */
export function ProjectsPage() {
  return <div className="page">ProjectsPage</div>;
}
