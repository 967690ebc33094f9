import { useEffect, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client';
import { Badge, type BadgeTone } from './Badge';
import { FieldErrorSummary } from './form';
import { Skeleton } from './Skeleton';

export { Field, Form } from './form';

// The first page of a visit keeps the browser's own focus order (the skip link comes first).
let firstPageShown = false;

/** A page: its title in the tab, a focused heading after navigation (screen readers hear it). */
export function Page({ title, children }: { title: string; children: ReactNode }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} · Peer-learning challenges`;
    if (firstPageShown) heading.current?.focus();
    firstPageShown = true;
  }, [title]);
  return (
    <>
      <h1 tabIndex={-1} ref={heading}>
        {title}
      </h1>
      {children}
    </>
  );
}

/** What went wrong, in plain words, where it happened: a refusal of some fields lists them
 * (linked to the fields of the `<Form>` it is in); a code the UI does not know reads as the
 * generic sentence, never as the server's English. */
export function ErrorNote({ error }: { error: unknown }) {
  const { t, i18n } = useTranslation();
  if (!error) return null;
  let text = t('errors.generic');
  if (error instanceof ApiError) {
    const fieldErrors = error.problem.errors ?? [];
    if (fieldErrors.length > 0) return <FieldErrorSummary errors={fieldErrors} />;
    const key = `errors.${error.code}`;
    text = i18n.exists(key) ? t(key) : t('errors.generic');
    if (error.code === 'move_refused' || error.code === 'phase_not_ready') {
      text = `${t(key)} ${error.problem.detail ?? ''}`;
    }
  }
  return (
    <p className="error" role="alert">
      {text}
    </p>
  );
}

/** Content on its way: grey bars for the eye, "Loading…" for screen readers. */
export function Loading() {
  const { t } = useTranslation();
  return (
    <div role="status" className="loading">
      <span className="visually-hidden">{t('common.loading')}</span>
      <Skeleton />
    </div>
  );
}

/** "3 days 4 hours left" until a date, refreshed every minute. */
export function Countdown({ until }: { until: string | null | undefined }) {
  const { t } = useTranslation();
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), 60_000);
    return () => window.clearInterval(timer);
  }, []);
  if (!until) return null;
  const left = new Date(until).getTime() - now;
  if (left <= 0) return <span className="countdown">{t('common.deadline_passed')}</span>;
  const days = Math.floor(left / 86_400_000);
  const hours = Math.floor((left % 86_400_000) / 3_600_000);
  const minutes = Math.floor((left % 3_600_000) / 60_000);
  return (
    <span className="countdown">
      {days > 0
        ? t('common.left_days', { days, hours })
        : t('common.left_hours', { hours, minutes })}
    </span>
  );
}

export function formatDate(value: string | null | undefined, language: string): string {
  if (!value) return '—';
  return new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short' }).format(
    new Date(value),
  );
}

export function PhaseBadge({ phase }: { phase: string }) {
  const { t } = useTranslation();
  return <Badge tone={`phase-${phase}` as BadgeTone}>{t(`phase.${phase}`)}</Badge>;
}
