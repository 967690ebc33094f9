import { useTranslation } from 'react-i18next';
import type { Schemas } from '../api/client';
import { Badge } from './Badge';

export function DiversityBadge({ diversity }: { diversity: Schemas['Diversity'] }) {
  const { t } = useTranslation();
  return (
    <p className="diversity" aria-label={t('team.diversity')}>
      <Badge>{t('team.generations', { count: diversity.generations })}</Badge>
      <Badge>{t('team.seniority_bands', { count: diversity.seniority_bands })}</Badge>
      <Badge>{t('team.departments', { count: diversity.departments })}</Badge>
    </p>
  );
}
