import type { ReactNode } from 'react';

/** What a list shows when it has nothing yet: what that means, and what to do next. */
export function EmptyState({
  children,
  action,
  className,
}: {
  children: ReactNode;
  /** The next step (a link or a button), if there is one. */
  action?: ReactNode;
  className?: string;
}) {
  return (
    <div className={className ? `empty-state ${className}` : 'empty-state'}>
      <p>{children}</p>
      {action && <p>{action}</p>}
    </div>
  );
}
