// Rate an idea entry, anonymously: anyone signed in who is not of the team that proposed it
// (features/ratings).
import { useTranslation } from 'react-i18next';
import { SubjectRatingPanel } from '../../ratings/RatingPanel';
import { useIdeaRating } from '../../ratings/useRating';

export function IdeaRatingPanel({ entryId }: { entryId: string }) {
  const { t } = useTranslation();
  const rating = useIdeaRating(entryId);
  return (
    <SubjectRatingPanel
      id="idea-rating"
      rating={rating}
      texts={{
        title: t('rating.idea.title'),
        notEligible: t('rating.idea.own_team'),
        elsewhere: t('rating.idea.elsewhere'),
        anonymous: t('rating.idea.anonymous'),
      }}
    />
  );
}
