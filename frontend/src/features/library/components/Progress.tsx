import { useId } from 'react';
import { useTranslation } from 'react-i18next';

/** "2 of 5 lessons passed" as a bar and as words: the words carry it for screen readers, the
 * bar only shows it at a glance. */
export function CollectionProgress({ passed, total }: { passed: number; total: number }) {
  const { t } = useTranslation();
  const id = useId();
  return (
    <p className="collection-progress">
      <progress value={passed} max={Math.max(total, 1)} aria-labelledby={id} />{' '}
      <span id={id}>{t('library.progress', { passed, count: total })}</span>
    </p>
  );
}
