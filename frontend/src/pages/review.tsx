import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ApiError, api, unwrap, type Problem, type Schemas } from '../api/client';
import { Countdown, ErrorNote, Loading, Page } from '../components/ui';
import { anonymousPost, markSent, obtainTokens, tokensOf, type Token } from '../reviews/wallet';
import { AnonymityExplainer, useChallenge } from './challenges';

type Criterion = Schemas['Criterion'];

function Scores({ rubric, scores, onChange }: { rubric: Criterion[]; scores: Record<string, number>; onChange: (s: Record<string, number>) => void }) {
  return (
    <>
      {rubric.map((c) => (
        <fieldset key={c.id} className="scale-choice">
          <legend>{c.title}</legend>
          {c.description && <p className="hint">{c.description}</p>}
          {Array.from({ length: c.scale_max - c.scale_min + 1 }, (_, i) => c.scale_min + i).map((value) => (
            <label key={value} className="inline">
              <input type="radio" name={`score-${c.id}`} value={value} required checked={scores[c.id] === value} onChange={() => onChange({ ...scores, [c.id]: value })} />
              {value}
              {(c.descriptors as Record<string, string>)[String(value)] && ` — ${(c.descriptors as Record<string, string>)[String(value)]}`}
            </label>
          ))}
        </fieldset>
      ))}
    </>
  );
}

function ReviewForm({ challengeId, submission, token, rubric, onSent }: { challengeId: string; submission: Schemas['SubmissionToReview']; token: Token; rubric: Criterion[]; onSent: () => void }) {
  const { t } = useTranslation();
  const draftKey = `review-draft:${token.round_id}:${submission.id}`;
  const [scores, setScores] = useState<Record<string, number>>({});
  const [comment, setComment] = useState(() => sessionStorage.getItem(draftKey) ?? '');
  const [warnings, setWarnings] = useState<Schemas['CommentWarning'][] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => sessionStorage.setItem(draftKey, comment), [draftKey, comment]);

  async function check() {
    const result = await anonymousPost<Schemas['CommentCheck']>('/api/v1/reviews/comment-check', { comment, challenge_id: challengeId });
    setWarnings(result.ok ? result.data.warnings : []);
  }

  async function send() {
    setBusy(true);
    setError(null);
    try {
      const result = await anonymousPost<Problem>('/api/v1/reviews', {
        token: { key_id: token.key_id, prepared_message: token.prepared_message, signature: token.signature },
        submission_id: submission.id,
        scores,
        comment,
      });
      if (!result.ok && result.data.code !== 'token_spent') throw new ApiError(result.data);
      await markSent(token);
      sessionStorage.removeItem(draftKey);
      onSent();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        void send();
      }}
    >
      <Scores rubric={rubric} scores={scores} onChange={setScores} />
      <label htmlFor={`comment-${submission.id}`}>{t('review.comment')}</label>
      <p className="hint" id={`comment-hint-${submission.id}`}>
        {t('review.comment_hint')}
      </p>
      <textarea
        id={`comment-${submission.id}`}
        aria-describedby={`comment-hint-${submission.id}`}
        rows={5}
        maxLength={5000}
        value={comment}
        onChange={(e) => {
          setComment(e.target.value);
          setWarnings(null);
        }}
      />
      <button type="button" className="secondary" onClick={() => void check()}>
        {t('review.check_comment')}
      </button>
      {warnings && (
        <div role="status" className={warnings.length ? 'warning' : 'ok'}>
          {warnings.length === 0 ? (
            <p>{t('review.no_warnings')}</p>
          ) : (
            <>
              <p>{t('review.warnings_intro')}</p>
              <ul>
                {warnings.map((w) => (
                  <li key={`${w.start}-${w.kind}`}>
                    {t(`review.warning_${w.kind}`)}: “{w.text}”
                  </li>
                ))}
              </ul>
            </>
          )}
        </div>
      )}
      <ErrorNote error={error} />
      <button type="submit" disabled={busy}>
        {t('review.send')}
      </button>
    </form>
  );
}

export function ReviewPage() {
  const { t } = useTranslation();
  const { challengeId = '' } = useParams();
  const challenge = useChallenge(challengeId);
  const queryClient = useQueryClient();
  const path = { params: { path: { challenge_id: challengeId } } };
  const manifest = useQuery({ queryKey: ['manifest', challengeId], queryFn: () => unwrap(api.GET('/api/v1/challenges/{challenge_id}/review-round', path)) });
  const submissions = useQuery({ queryKey: ['to-review', challengeId], queryFn: () => unwrap(api.GET('/api/v1/challenges/{challenge_id}/submissions', path)) });
  const status = useQuery({ queryKey: ['issuance', challengeId], queryFn: () => unwrap(api.GET('/api/v1/challenges/{challenge_id}/review-round/tokens', path)) });
  const roundId = manifest.data?.round_id;
  const wallet = useQuery({ queryKey: ['wallet', roundId], enabled: !!roundId, queryFn: () => tokensOf(roundId ?? '') });
  const [progress, setProgress] = useState<[number, number] | null>(null);
  const [error, setError] = useState<unknown>(null);

  async function getTokens() {
    if (!manifest.data || !status.data) return;
    setError(null);
    try {
      await obtainTokens(
        manifest.data,
        status.data.eligible_submission_ids,
        (blinded) => unwrap(api.POST('/api/v1/challenges/{challenge_id}/review-round/tokens', { ...path, body: { blinded } })),
        (done, total) => setProgress([done, total]),
      );
      await queryClient.invalidateQueries({ queryKey: ['wallet', roundId] });
      await queryClient.invalidateQueries({ queryKey: ['issuance', challengeId] });
    } catch (e) {
      setError(e);
    } finally {
      setProgress(null);
    }
  }

  if (manifest.isPending || submissions.isPending || status.isPending) return <Loading />;
  const failure = manifest.error ?? submissions.error ?? status.error;
  if (failure || !manifest.data || !submissions.data || !status.data) return <ErrorNote error={failure} />;
  const tokens = new Map((wallet.data ?? []).map((tk) => [tk.submission_id, tk]));
  const rubric = (challenge.data?.rubric ?? []) as Criterion[];
  return (
    <Page title={t('review.title', { title: challenge.data?.title ?? '' })}>
      <p>
        {t('review.intro', { k: manifest.data.k })} <Countdown until={manifest.data.closes_at} />
      </p>
      <AnonymityExplainer />
      {!status.data.issued && (
        <section aria-labelledby="tokens-title">
          <h2 id="tokens-title">{t('review.tokens_title')}</h2>
          <p>{t('review.tokens_explain', { count: status.data.eligible_submission_ids.length })}</p>
          <button type="button" onClick={() => void getTokens()} disabled={progress !== null}>
            {t('review.get_tokens')}
          </button>
          {progress && (
            <p>
              <label>
                {t('review.preparing')} <progress max={progress[1]} value={progress[0]} />
              </label>
            </p>
          )}
        </section>
      )}
      {status.data.issued && tokens.size === 0 && <p className="notice">{t('review.tokens_elsewhere')}</p>}
      <ErrorNote error={error} />
      <h2>{t('review.submissions')}</h2>
      {submissions.data.length === 0 && <p>{t('review.nothing')}</p>}
      {submissions.data.map((s) => {
        const token = tokens.get(s.id);
        return (
          <article key={s.id} className="card" aria-labelledby={`submission-${s.id}`}>
            <h3 id={`submission-${s.id}`}>
              {s.title} <span className="muted">— {s.team_name}</span>
            </h3>
            <div dangerouslySetInnerHTML={{ __html: s.body_html }} />
            {token?.sent && <p className="ok">{t('review.sent')}</p>}
            {token && !token.sent && (
              <ReviewForm challengeId={challengeId} submission={s} token={token} rubric={rubric} onSent={() => void queryClient.invalidateQueries({ queryKey: ['wallet', roundId] })} />
            )}
          </article>
        );
      })}
    </Page>
  );
}

function Distribution({ summary }: { summary: Schemas['CriterionSummary'] }) {
  const { t } = useTranslation();
  const counts = summary.distribution as Record<string, number>;
  const max = Math.max(1, ...Object.values(counts));
  return (
    <figure className="distribution">
      <figcaption>
        {summary.criterion_id}: {t('results.median')} {summary.median ?? '—'}
      </figcaption>
      <svg role="img" aria-label={Object.entries(counts).map(([score, n]) => `${score}: ${n}`).join(', ')} viewBox={`0 0 ${Object.keys(counts).length * 30} 60`} width="100%" height="60">
        {Object.entries(counts).map(([score, n], i) => (
          <g key={score}>
            <rect x={i * 30 + 4} y={50 - (40 * n) / max} width="22" height={(40 * n) / max} className="bar" />
            <text x={i * 30 + 15} y="59" textAnchor="middle" className="axis">
              {score}
            </text>
          </g>
        ))}
      </svg>
    </figure>
  );
}

export function ResultsPage() {
  const { t } = useTranslation();
  const { challengeId = '' } = useParams();
  const challenge = useChallenge(challengeId);
  const results = useQuery({
    queryKey: ['results', challengeId],
    queryFn: () => unwrap(api.GET('/api/v1/challenges/{challenge_id}/results', { params: { path: { challenge_id: challengeId } } })),
  });
  const teamId = challenge.data?.my_team_id;
  const mine = useQuery({
    queryKey: ['team-reviews', teamId],
    enabled: !!teamId,
    queryFn: () => unwrap(api.GET('/api/v1/teams/{team_id}/reviews', { params: { path: { team_id: teamId ?? '' } } })),
  });
  if (results.isPending || challenge.isPending) return <Loading />;
  if (!results.data) return <ErrorNote error={results.error} />;
  const r = results.data;
  return (
    <Page title={t('results.title', { title: challenge.data?.title ?? '' })}>
      <p>
        <Link to={`/challenges/${challengeId}`}>{t('team.back_to_challenge')}</Link>
      </p>
      {mine.data && (
        <section aria-labelledby="mine-title">
          <h2 id="mine-title">{t('results.your_team')}</h2>
          {mine.data.state === 'released' ? (
            <>
              {mine.data.criteria.map((c) => (
                <Distribution key={c.criterion_id} summary={c} />
              ))}
              <h3>{t('results.comments')}</h3>
              <ul className="reviews">
                {mine.data.reviews.map((review, i) => (
                  <li key={i}>
                    <p>{Object.entries(review.scores as Record<string, number>).map(([k, v]) => `${k}: ${v}`).join(' · ')}</p>
                    {review.comment && <blockquote>{review.comment}</blockquote>}
                  </li>
                ))}
              </ul>
            </>
          ) : (
            <p className="notice">
              {mine.data.state === 'not_enough' ? t('results.not_enough', { n: mine.data.count ?? 0, k: mine.data.k }) : t('results.not_yet')}
            </p>
          )}
        </section>
      )}
      <section aria-labelledby="all-title">
        <h2 id="all-title">{t('results.challenge')}</h2>
        {r.state === 'not_yet' ? (
          <p className="notice">{t('results.not_yet')}</p>
        ) : (
          <>
            <p>{t('results.totals', { issued: r.issued_total ?? 0, redeemed: r.redeemed_total ?? 0 })}</p>
            {r.criteria.map((c) => (
              <Distribution key={c.criterion_id} summary={c} />
            ))}
            <table>
              <caption>{t('results.by_team')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('results.team')}</th>
                  <th scope="col">{t('results.reviews')}</th>
                  <th scope="col">{t('results.medians')}</th>
                </tr>
              </thead>
              <tbody>
                {r.teams.map((team) => (
                  <tr key={team.team_name}>
                    <th scope="row">{team.team_name}</th>
                    <td>{team.review_count ?? t('results.suppressed')}</td>
                    <td>
                      {team.medians
                        ? Object.entries(team.medians as Record<string, number>).map(([k, v]) => `${k}: ${v}`).join(' · ')
                        : t('results.not_enough_short', { k: r.k })}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )}
      </section>
    </Page>
  );
}
