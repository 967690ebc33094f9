import { useTranslation } from 'react-i18next';
import { HALF_DAYS, WEEKDAYS, gridOf, toggleSlot } from '../availability';

/** Weekdays down, morning and afternoon across: one checkbox per half day, each named in full
 * ("Tuesday afternoon") for screen readers, which read it outside the table too. */
export function AvailabilityGrid({
  slots,
  onChange,
  error,
}: {
  slots: readonly string[];
  onChange: (slots: string[]) => void;
  error?: string;
}) {
  const { t } = useTranslation();
  const grid = gridOf(slots);
  return (
    <fieldset
      className="availability"
      aria-describedby={error ? 'availability-error' : 'availability-hint'}
    >
      <legend>{t('mentoring.apply.availability')}</legend>
      <p className="hint" id="availability-hint">
        {t('mentoring.apply.availability_hint')}
      </p>
      <table>
        <thead>
          <tr>
            <td />
            {HALF_DAYS.map((half) => (
              <th key={half} scope="col">
                {t(`mentoring.half_day.${half}`)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {WEEKDAYS.map((day) => (
            <tr key={day}>
              <th scope="row">{t(`mentoring.weekday.${day}`)}</th>
              {HALF_DAYS.map((half) => (
                <td key={half}>
                  <input
                    type="checkbox"
                    id={`slot-${day}-${half}`}
                    checked={grid[day][half]}
                    aria-label={t('mentoring.slot', {
                      day: t(`mentoring.weekday.${day}`),
                      half: t(`mentoring.half_day.${half}`),
                    })}
                    onChange={() => onChange(toggleSlot(slots, day, half))}
                  />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      {error && (
        <p className="field-error" id="availability-error">
          {error}
        </p>
      )}
    </fieldset>
  );
}
