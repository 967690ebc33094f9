import { useTranslation } from 'react-i18next';
import { Badge } from '../../../components/Badge';
import { useLabels } from '../../../components/labels';
import type { Track } from '../api';

/** Who made an entry and where: the team's name (never a member's), the challenge, the track
 * in words and what it means, and the topics. */
export function IdeaMeta({
  teamName,
  challengeTitle,
  track,
  topics,
}: {
  teamName: string;
  challengeTitle: string;
  track: Track;
  topics: readonly string[];
}) {
  const { t } = useTranslation();
  const labels = useLabels();
  return (
    <dl className="idea-meta">
      <div>
        <dt>{t('ideas.team')}</dt>
        <dd>{teamName}</dd>
      </div>
      <div>
        <dt>{t('ideas.challenge')}</dt>
        <dd>{challengeTitle}</dd>
      </div>
      <div>
        <dt>{t('ideas.track')}</dt>
        <dd>
          <Badge>{t(`track.${track}`)}</Badge> {t(`track_means.${track}`)}
        </dd>
      </div>
      {topics.length > 0 && (
        <div>
          <dt>{t('ideas.topics')}</dt>
          <dd>{topics.map((topic) => labels.tag(topic)).join(', ')}</dd>
        </div>
      )}
    </dl>
  );
}
