// How a lesson presents itself on a list or at the top of its page: its guidance level, its
// language and its topics, in words.
import { useTranslation } from 'react-i18next';
import { Badge } from '../../../components/Badge';
import { useLabels } from '../../../components/labels';

export function LessonMeta({
  level,
  language,
  topics,
}: {
  level: string | null;
  language: string;
  topics: string[];
}) {
  const { t } = useTranslation();
  const labels = useLabels();
  return (
    <div className="lesson-meta">
      {level && <Badge>{t('library.level_badge', { level: t(`track.${level}`) })}</Badge>}{' '}
      <Badge>{t(`languages.${language}`)}</Badge>
      {topics.length > 0 && (
        <ul className="tags" aria-label={t('library.topics')}>
          {topics.map((topic) => (
            <li key={topic} className="tag">
              {labels.skill(topic)}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** Where a reader is with a lesson, in words. */
export function StateBadge({ state }: { state: string }) {
  const { t } = useTranslation();
  return <Badge tone={state === 'passed' ? 'ok' : 'neutral'}>{t(`library.state.${state}`)}</Badge>;
}
