import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { relativeTime } from '../time';

/** The time until a date ("in 2 days"), refreshed every minute. Not a live region: a screen
 * reader reads it where it is, and is not told each minute that it changed. */
export function RelativeTime({ until }: { until: string }) {
  const { i18n } = useTranslation();
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), 60_000);
    return () => window.clearInterval(timer);
  }, []);
  const passed = new Date(until).getTime() < now;
  return (
    <span className={passed ? 'countdown overdue' : 'countdown'}>
      {relativeTime(until, now, i18n.language)}
    </span>
  );
}
