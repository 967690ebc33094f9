// A lead's view of the programme's anonymous surveys: open each at its point, then read the
// aggregates per question, shown only once 5 members have answered (never an answer itself).
// Closing a survey records every answer given at once (with one survey answered and nothing else
// rated, the anonymous batches never come) and takes none after.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap, type Schemas } from '../../../api/client';
import { Button } from '../../../components/Button';
import { ConfirmDialog } from '../../../components/ConfirmDialog';
import { ErrorNote, Loading } from '../../../components/ui';
import { Comments, Distribution } from '../../ratings/RatingPanel';
import type { SurveyPoint } from '../../ratings/useRating';

// The phase in which each survey may be opened (as the server decides).
const OPENS_IN: Record<SurveyPoint, Schemas['Programme']['phase']> = {
  midpoint: 'running',
  end: 'closed',
};

const resultsKey = (programmeId: string) => ['programme-feedback-results', programmeId] as const;

export function FeedbackResults({ programme: p }: { programme: Schemas['Programme'] }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const shown = p.phase === 'running' || p.phase === 'closed';
  const results = useQuery({
    queryKey: resultsKey(p.id),
    enabled: shown,
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/programmes/{programme_id}/feedback/results', {
          params: { path: { programme_id: p.id } },
        }),
      ),
  });
  const open = useMutation({
    mutationFn: (point: SurveyPoint) =>
      unwrap(
        api.POST('/api/v1/programmes/{programme_id}/feedback/{point}/open', {
          params: { path: { programme_id: p.id, point } },
        }),
      ),
    onSuccess: (data) => queryClient.setQueryData(resultsKey(p.id), data),
  });
  const [closing, setClosing] = useState<SurveyPoint | null>(null);
  const close = useMutation({
    mutationFn: (point: SurveyPoint) =>
      unwrap(
        api.POST('/api/v1/programmes/{programme_id}/feedback/{point}/close', {
          params: { path: { programme_id: p.id, point } },
        }),
      ),
    onSuccess: (data) => queryClient.setQueryData(resultsKey(p.id), data),
    onSettled: () => setClosing(null),
  });
  if (!shown) return null;
  return (
    <section aria-labelledby="feedback-results-heading">
      <h2 id="feedback-results-heading">{t('mentoring.feedback.results_title')}</h2>
      <p className="hint">{t('mentoring.feedback.results_hint')}</p>
      {results.isPending && <Loading />}
      <ErrorNote error={results.error ?? open.error ?? close.error} />
      {results.data?.map((survey) => (
        <div key={survey.point}>
          <h3>{t(`mentoring.feedback.title.${survey.point}`)}</h3>
          {survey.open ? (
            <>
              {survey.closed && <p className="muted">{t('mentoring.feedback.closed_results')}</p>}
              <SurveyFigures release={survey.release} />
              {!survey.closed && (
                <Button
                  variant="secondary"
                  disabled={close.isPending}
                  onClick={() => setClosing(survey.point)}
                >
                  {t('mentoring.feedback.close')}
                </Button>
              )}
            </>
          ) : p.phase === OPENS_IN[survey.point] ? (
            <Button
              variant="secondary"
              disabled={open.isPending}
              onClick={() => open.mutate(survey.point)}
            >
              {t(`mentoring.feedback.open.${survey.point}`)}
            </Button>
          ) : (
            <p className="muted">{t(`mentoring.feedback.not_open.${survey.point}`)}</p>
          )}
        </div>
      ))}
      <ConfirmDialog
        open={closing !== null}
        title={t('mentoring.feedback.close_title')}
        confirmLabel={t('mentoring.feedback.close_confirm')}
        cancelLabel={t('common.cancel')}
        onConfirm={() => closing !== null && close.mutate(closing)}
        onCancel={() => setClosing(null)}
      >
        <p>{t('mentoring.feedback.close_explain')}</p>
      </ConfirmDialog>
    </section>
  );
}

function SurveyFigures({ release }: { release: Schemas['SurveyRelease'] }) {
  const { t, i18n } = useTranslation();
  if (release.state === 'fewer_than_minimum' || release.count === null) {
    return <p>{t('mentoring.feedback.fewer', { count: release.minimum })}</p>;
  }
  return (
    <>
      <p>{t('mentoring.feedback.answers', { count: release.count })}</p>
      {release.questions.map((q) => (
        <div key={q.question}>
          <h4>{t(`mentoring.feedback.question.${q.question}`)}</h4>
          <p>
            {t('rating.summary', {
              mean: q.mean.toLocaleString(i18n.language, { maximumFractionDigits: 1 }),
              count: q.count,
            })}
          </p>
          <Distribution distribution={q.distribution} minimum={release.minimum} />
        </div>
      ))}
      <Comments comments={release.comments} />
    </>
  );
}
