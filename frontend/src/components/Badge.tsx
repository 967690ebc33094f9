import type { ReactNode } from 'react';

export type BadgeTone =
  | 'neutral'
  | 'ok'
  | 'phase-draft'
  | 'phase-enrolment'
  | 'phase-teamwork'
  | 'phase-review'
  | 'phase-closed';

/** A short label on a pill (a phase, a track, "you"). Its text says it all: the colour only
 * helps to tell badges apart at a glance. */
export function Badge({ tone = 'neutral', children }: { tone?: BadgeTone; children: ReactNode }) {
  return <span className={tone === 'neutral' ? 'badge' : `badge ${tone}`}>{children}</span>;
}
