import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ApiError, api, unwrap } from '../../api/client';
import { Countdown, ErrorNote, Field, Loading, Page, formatDate } from '../../components/ui';
import {
  submissionKeys,
  useFacilitatorFeedback,
  useFacilitatorSubmission,
  useFacilitatorVersion,
} from './api';
import { FeedbackList } from './components/FeedbackList';
import { VersionHistory } from './components/VersionHistory';
import { Button } from '../../components/Button';
import { Card } from '../../components/Card';
import { useToast } from '../../components/Toast';

const FEEDBACK_MAX = 5000;

/** A team's submission as the challenge's facilitators read it, and the feedback they give. */
export function TeamSubmissionPage() {
  const { t, i18n } = useTranslation();
  const { challengeId = '', teamId = '' } = useParams();
  const queryClient = useQueryClient();
  const submission = useFacilitatorSubmission(challengeId, teamId);
  const feedback = useFacilitatorFeedback(challengeId, teamId);
  const [shown, setShown] = useState<number | null>(null);
  const version = useFacilitatorVersion(challengeId, teamId, shown);
  const [body, setBody] = useState('');
  const toast = useToast();
  const [tooShort, setTooShort] = useState(false);
  const give = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/api/v1/challenges/{challenge_id}/teams/{team_id}/feedback', {
          params: { path: { challenge_id: challengeId, team_id: teamId } },
          body: { body },
        }),
      ),
    onSuccess: () => {
      setBody('');
      toast(t('feedback.sent'));
      void queryClient.invalidateQueries({
        queryKey: submissionKeys.facilitatorFeedback(challengeId, teamId),
      });
    },
  });
  if (submission.isPending) return <Loading />;
  const s = submission.data;
  if (!s) return <ErrorNote error={submission.error} />;
  const fieldRefused = give.error instanceof ApiError && give.error.code === 'invalid_request';
  const bodyError = tooShort
    ? t('feedback.required')
    : fieldRefused
      ? t('feedback.too_long', { max: FEEDBACK_MAX })
      : undefined;
  return (
    <Page title={t('feedback.page_title', { team: s.team_name })}>
      <p>
        <Link to={`/facilitate/${challengeId}`}>{t('feedback.back')}</Link>
      </p>
      <h2>{t('feedback.submission')}</h2>
      <p>
        {t(`feedback.status_${s.status}`, { version: s.version })}{' '}
        {s.updated_at && (
          <>{t('feedback.updated', { date: formatDate(s.updated_at, i18n.language) })} </>
        )}
        {s.deadline && <Countdown until={s.deadline} />}
      </p>
      {s.status !== 'none' && (
        <Card as="article">
          <h3>{s.title}</h3>
          <div dangerouslySetInnerHTML={{ __html: s.body_html }} />
          {s.links.length > 0 && (
            <ul>
              {s.links.map((link) => (
                <li key={link}>
                  <a href={link} rel="noopener noreferrer" target="_blank">
                    {link}
                  </a>
                </li>
              ))}
            </ul>
          )}
        </Card>
      )}
      <VersionHistory
        history={s.history}
        current={{ version: s.version, title: s.title, body: s.body }}
        shown={shown}
        onShow={setShown}
        version={version.data}
        error={version.error}
      />
      <h2 id="feedback-title">{t('feedback.title')}</h2>
      <p className="hint">{t('feedback.facilitator_hint')}</p>
      <form
        aria-labelledby="feedback-title"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          if (!body.trim()) {
            setTooShort(true);
            return;
          }
          setTooShort(false);
          give.mutate();
        }}
      >
        <Field label={t('feedback.body')} hint={t('team.markdown_hint')} error={bodyError}>
          {(p) => (
            <textarea
              {...p}
              rows={6}
              maxLength={FEEDBACK_MAX}
              value={body}
              onChange={(e) => {
                setBody(e.target.value);
                setTooShort(false);
              }}
            />
          )}
        </Field>
        {!fieldRefused && <ErrorNote error={give.error} />}
        <Button type="submit" disabled={give.isPending}>
          {t('feedback.send')}
        </Button>
      </form>
      {feedback.isPending ? (
        <Loading />
      ) : feedback.data ? (
        <FeedbackList items={feedback.data} />
      ) : (
        <ErrorNote error={feedback.error} />
      )}
    </Page>
  );
}
