/** Previous / Next over a token-paged list, and which rows are showing ("21–40"). */
export function Pager({ page, shown, pageSize, hasNext, loading, onPrevious, onNext }: {
  page: number;
  shown: number;
  pageSize: number;
  hasNext: boolean;
  loading: boolean;
  onPrevious(): void;
  onNext(): void;
}) {
  const first = (page - 1) * pageSize + 1;
  if (page === 1 && !hasNext) return null;
  return (
    <nav className="pager" aria-label="Pages">
      <span className="pager-info" aria-live="polite">
        {loading ? 'Loading…' : shown === 0 ? `Page ${page}` : `${first}–${first + shown - 1} · page ${page}`}
      </span>
      <div className="pager-buttons">
        <button type="button" className="button" onClick={onPrevious} disabled={page === 1 || loading}>
          Previous
        </button>
        <button type="button" className="button" onClick={onNext} disabled={!hasNext || loading}>
          Next
        </button>
      </div>
    </nav>
  );
}
