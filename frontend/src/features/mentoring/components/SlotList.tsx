import { useTranslation } from 'react-i18next';
import { HALF_DAYS, WEEKDAYS, gridOf } from '../availability';

/** Half days in words, one weekday at a time: "Monday morning and afternoon, Thursday
 * morning". */
export function SlotList({ slots }: { slots: readonly string[] }) {
  const { t } = useTranslation();
  const grid = gridOf(slots);
  const days = WEEKDAYS.filter((day) => HALF_DAYS.some((half) => grid[day][half])).map((day) => {
    const halves = HALF_DAYS.filter((half) => grid[day][half]).map((half) =>
      t(`mentoring.half_day.${half}`).toLowerCase(),
    );
    return `${t(`mentoring.weekday.${day}`)} ${halves.join(t('mentoring.and'))}`;
  });
  return <>{days.join(', ') || '—'}</>;
}
