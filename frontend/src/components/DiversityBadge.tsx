import { useTranslation } from 'react-i18next';
import type { Schemas } from '../api/client';

export function DiversityBadge({ diversity }: { diversity: Schemas['Diversity'] }) {
  const { t } = useTranslation();
  return (
    <p className="diversity" aria-label={t('team.diversity')}>
      <span className="badge">{t('team.generations', { count: diversity.generations })}</span>
      <span className="badge">
        {t('team.seniority_bands', { count: diversity.seniority_bands })}
      </span>
      <span className="badge">{t('team.departments', { count: diversity.departments })}</span>
    </p>
  );
}
