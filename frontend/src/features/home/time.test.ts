import { describe, expect, it } from 'vitest';
import { relativeParts, relativeTime } from './time';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe('relative deadlines', () => {
  it('counts whole units, the largest that fits', () => {
    expect(relativeParts(2 * DAY + 20 * HOUR)).toEqual({ value: 2, unit: 'day' });
    expect(relativeParts(5 * HOUR + 59 * 60_000)).toEqual({ value: 5, unit: 'hour' });
    expect(relativeParts(90 * DAY)).toEqual({ value: 3, unit: 'month' });
    expect(relativeParts(-3 * HOUR)).toEqual({ value: -3, unit: 'hour' });
  });

  it("says it in the page's language", () => {
    const now = Date.parse('2031-03-08T09:00:00Z');
    expect(relativeTime('2031-03-10T09:00:00Z', now, 'en')).toBe('in 2 days');
    expect(relativeTime('2031-03-10T09:00:00Z', now, 'fr')).toBe('après-demain');
    expect(relativeTime('2031-03-11T09:00:00Z', now, 'es')).toBe('dentro de 3 días');
    expect(relativeTime('2031-03-08T06:00:00Z', now, 'en')).toBe('3 hours ago');
  });
});
