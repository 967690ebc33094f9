// Rate a lesson, anonymously, by those who took it (features/ratings).
import { useTranslation } from 'react-i18next';
import { SubjectRatingPanel } from '../../ratings/RatingPanel';
import { useRating } from '../../ratings/useRating';

export function RatingPanel({ lessonId }: { lessonId: string }) {
  const { t } = useTranslation();
  const rating = useRating(lessonId);
  return (
    <SubjectRatingPanel
      id="rating"
      rating={rating}
      texts={{
        title: t('rating.title'),
        notEligible: t('rating.not_taken'),
        elsewhere: t('rating.elsewhere'),
        anonymous: t('rating.anonymous'),
      }}
    />
  );
}
