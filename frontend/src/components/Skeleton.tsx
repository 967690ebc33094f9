/** Grey bars where content is coming: hidden from screen readers, which hear the
 * `role="status"` text of `<Loading>` instead. The shimmer stops for people who ask for less
 * motion (styles.css). */
export function Skeleton({ lines = 3 }: { lines?: number }) {
  return (
    <div className="skeleton" aria-hidden="true" data-testid="skeleton">
      {Array.from({ length: lines }, (_, i) => (
        <span key={i} className="skeleton-line" />
      ))}
    </div>
  );
}
