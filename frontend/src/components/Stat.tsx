import type { ReactNode } from 'react';

/** A number with what it counts ("12 participants"), the number large. Put several in a
 * `<StatList>`: it is a description list, so screen readers pair each label with its number. */
export function Stat({ label, value }: { label: ReactNode; value: ReactNode }) {
  return (
    <div className="stat">
      <dt className="stat-label">{label}</dt>
      <dd className="stat-value">{value}</dd>
    </div>
  );
}

export function StatList({ children, label }: { children: ReactNode; label?: string }) {
  return (
    <dl className="stats" aria-label={label}>
      {children}
    </dl>
  );
}
