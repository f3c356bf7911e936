/** A quiet loading line; shown only while a first load is in flight. */
export function Loading({ what }: { what: string }) {
  return (
    <div className="status-loading" data-testid="loading" aria-busy="true">
      <span className="spinner" /> Loading {what}…
    </div>
  );
}
