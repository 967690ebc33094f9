// "in 2 days", "3 hours ago": a deadline as a relative time, in the page's language.

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** The largest unit that fits, counted whole (2 days and 20 hours is "in 2 days"). */
export function relativeParts(ms: number): { value: number; unit: Intl.RelativeTimeFormatUnit } {
  const size = Math.abs(ms);
  if (size >= 60 * DAY) return { value: Math.trunc(ms / (30 * DAY)), unit: 'month' };
  if (size >= DAY) return { value: Math.trunc(ms / DAY), unit: 'day' };
  if (size >= HOUR) return { value: Math.trunc(ms / HOUR), unit: 'hour' };
  return { value: Math.trunc(ms / MINUTE), unit: 'minute' };
}

export function relativeTime(until: string | Date, now: number, language: string): string {
  const { value, unit } = relativeParts(new Date(until).getTime() - now);
  return new Intl.RelativeTimeFormat(language, { numeric: 'auto' }).format(value, unit);
}
