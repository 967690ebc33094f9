import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { api, unwrap, type Schemas } from '../../api/client';
import { AnonymityExplainer } from '../../components/AnonymityExplainer';
import { criterionLabel } from '../../components/labels';
import { Countdown, ErrorNote, Loading, Page } from '../../components/ui';
import { useChallenge } from '../challenges/api';
import {
  reviewKeys,
  useIssuance,
  useManifest,
  useResults,
  useSubmissionsToReview,
  useTeamReviews,
  useWallet,
} from './api';
import { Distribution } from './components/Distribution';
import { RecoveryCodeShown, RecoverWithCode, storeWallet } from './components/RecoveryPanels';
import { ReviewForm } from './components/ReviewForm';
import { ReviewStatus } from './components/ReviewStatus';
import { codeToShow, forgetCodeToShow } from './recovery';
import { obtainTokens, tokensOf, walletTokens, type Token } from './wallet';
import './reviews.css';
import { Card } from '../../components/Card';
import { Button } from '../../components/Button';

type Criterion = Schemas['Criterion'];

/** Said once the tokens of another device are here; the focus moves to it (the form that had
 * it is gone). */
function Recovered() {
  const { t } = useTranslation();
  const element = useRef<HTMLParagraphElement>(null);
  useEffect(() => element.current?.focus(), []);
  return (
    <p role="status" tabIndex={-1} ref={element} className="review-state committed">
      {t('review.recovered')}
    </p>
  );
}

export function ReviewPage() {
  const { t } = useTranslation();
  const { challengeId = '' } = useParams();
  const challenge = useChallenge(challengeId);
  const queryClient = useQueryClient();
  const path = { params: { path: { challenge_id: challengeId } } };
  const manifest = useManifest(challengeId);
  const submissions = useSubmissionsToReview(challengeId);
  const status = useIssuance(challengeId);
  const roundId = manifest.data?.round_id ?? '';
  const roundOpen = manifest.data?.state === 'open';
  // Receipts are checked on load and while a review sent from here is not yet recorded.
  const wallet = useWallet(roundId, roundOpen);
  const [progress, setProgress] = useState<[number, number] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [shownCode, setShownCode] = useState<string | null>(null);
  const [justSent, setJustSent] = useState<string | null>(null);
  const [recovered, setRecovered] = useState(false);
  // The code to show is read again whenever the round changes (while rendering, not in an effect).
  const [codeRound, setCodeRound] = useState<string | null>(null);
  if (roundId && roundId !== codeRound) {
    setCodeRound(roundId);
    setShownCode(codeToShow({ purpose: 'review', id: roundId }));
  }

  async function reloadWallet() {
    queryClient.setQueryData(reviewKeys.wallet(roundId), await tokensOf(roundId));
  }

  async function makeCode(tokens: Token[]) {
    setShownCode(await storeWallet(challengeId, roundId, tokens));
    await queryClient.invalidateQueries({ queryKey: reviewKeys.issuance(challengeId) });
  }

  async function getTokens() {
    if (!manifest.data || !status.data) return;
    setError(null);
    try {
      const tokens = await obtainTokens(
        manifest.data,
        status.data.eligible_submission_ids,
        (blinded) =>
          unwrap(
            api.POST('/api/v1/challenges/{challenge_id}/review-round/tokens', {
              ...path,
              body: { blinded },
            }),
          ),
        (done, total) => setProgress([done, total]),
      );
      await reloadWallet();
      await queryClient.invalidateQueries({ queryKey: reviewKeys.issuance(challengeId) });
      await makeCode(tokens);
    } catch (e) {
      setError(e);
    } finally {
      setProgress(null);
    }
  }

  async function makeCodeLater() {
    setError(null);
    try {
      await makeCode(await tokensOf(roundId));
    } catch (e) {
      setError(e);
    }
  }

  if (manifest.isPending || submissions.isPending || status.isPending) return <Loading />;
  const failure = manifest.error ?? submissions.error ?? status.error;
  if (failure || !manifest.data || !submissions.data || !status.data)
    return <ErrorNote error={failure} />;
  const mine = wallet.data ?? [];
  const tokens = new Map(mine.map((tk) => [tk.submission_id, tk]));
  const rubric = (challenge.data?.rubric ?? []) as Criterion[];
  const walletStored = status.data.wallet_stored;
  // A wallet made later (the first attempt failed, or tokens from before wallets) holds every
  // token, or none: one made after some reviews were recorded here would be smaller, and its
  // size would say how many its owner had sent by then.
  const canMakeWallet = mine.length > 0 && walletTokens(mine).length === mine.length;
  return (
    <Page title={t('review.title', { title: challenge.data?.title ?? '' })}>
      <p>
        {t('review.intro', { k: manifest.data.k })} <Countdown until={manifest.data.closes_at} />
      </p>
      <AnonymityExplainer k={manifest.data.k} />
      {!status.data.issued && (
        <section aria-labelledby="tokens-title">
          <h2 id="tokens-title">{t('review.tokens_title')}</h2>
          <p>{t('review.tokens_explain', { count: status.data.eligible_submission_ids.length })}</p>
          <Button onClick={() => void getTokens()} disabled={progress !== null}>
            {t('review.get_tokens')}
          </Button>
          {progress && (
            <p>
              <label>
                {t('review.preparing')} <progress max={progress[1]} value={progress[0]} />
              </label>
            </p>
          )}
        </section>
      )}
      {shownCode && (
        <RecoveryCodeShown
          code={shownCode}
          explain={t('review.recovery_explain')}
          onSaved={() => {
            forgetCodeToShow({ purpose: 'review', id: roundId });
            setShownCode(null);
            document.getElementById('submissions-title')?.focus();
          }}
        />
      )}
      {status.data.issued && !shownCode && !walletStored && canMakeWallet && wallet.isSuccess && (
        <section aria-labelledby="make-code-title" className="recovery">
          <h2 id="make-code-title">{t('review.make_code_title')}</h2>
          <p>{t('review.make_code_explain')}</p>
          <Button onClick={() => void makeCodeLater()}>{t('review.make_code')}</Button>
        </section>
      )}
      {status.data.issued &&
        wallet.isSuccess &&
        tokens.size === 0 &&
        (walletStored ? (
          <RecoverWithCode
            challengeId={challengeId}
            roundId={roundId}
            onRecovered={() => {
              setRecovered(true);
              void reloadWallet();
            }}
          />
        ) : (
          <p className="notice">{t('review.tokens_elsewhere')}</p>
        ))}
      {recovered && <Recovered />}
      <ErrorNote error={error} />
      <h2 id="submissions-title" tabIndex={-1}>
        {t('review.submissions')}
      </h2>
      {submissions.data.length === 0 && <p>{t('review.nothing')}</p>}
      {submissions.data.map((s) => {
        const token = tokens.get(s.id);
        return (
          <Card as="article" key={s.id} aria-labelledby={`submission-${s.id}`}>
            <h3 id={`submission-${s.id}`}>
              {s.title} <span className="muted">— {s.team_name}</span>
            </h3>
            <div dangerouslySetInnerHTML={{ __html: s.body_html }} />
            {token?.state === 'unsent' ? (
              <ReviewForm
                submission={s}
                token={token}
                rubric={rubric}
                onDone={() => {
                  setJustSent(s.id);
                  void reloadWallet();
                }}
              />
            ) : (
              tokens.size > 0 && <ReviewStatus token={token} focus={justSent === s.id} />
            )}
          </Card>
        );
      })}
    </Page>
  );
}

export function ResultsPage() {
  const { t } = useTranslation();
  const { challengeId = '' } = useParams();
  const challenge = useChallenge(challengeId);
  const results = useResults(challengeId);
  const teamId = challenge.data?.my_team_id;
  const mine = useTeamReviews(teamId);
  if (results.isPending || challenge.isPending) return <Loading />;
  if (!results.data) return <ErrorNote error={results.error} />;
  const r = results.data;
  const rubric = challenge.data?.rubric;
  const scoresText = (scores: Record<string, number>) =>
    Object.entries(scores)
      .map(([id, v]) => `${criterionLabel(rubric, id)}: ${v}`)
      .join(' · ');
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
                <Distribution
                  key={c.criterion_id}
                  summary={c}
                  label={criterionLabel(rubric, c.criterion_id)}
                  scale={rubric?.find((x) => x.id === c.criterion_id)}
                />
              ))}
              <h3>{t('results.comments')}</h3>
              <ul className="reviews">
                {mine.data.reviews.map((review, i) => (
                  <li key={i}>
                    <p>{scoresText(review.scores as Record<string, number>)}</p>
                    {review.comment && <blockquote>{review.comment}</blockquote>}
                  </li>
                ))}
              </ul>
            </>
          ) : (
            <p className="notice">
              {mine.data.state === 'not_enough'
                ? t('results.not_enough', { n: mine.data.count ?? 0, k: mine.data.k })
                : t('results.not_yet')}
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
            <p>
              {t('results.totals', {
                issued: r.issued_total ?? 0,
                redeemed: r.redeemed_total ?? 0,
              })}
            </p>
            {r.criteria.map((c) => (
              <Distribution
                key={c.criterion_id}
                summary={c}
                label={criterionLabel(rubric, c.criterion_id)}
                scale={rubric?.find((x) => x.id === c.criterion_id)}
              />
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
                        ? scoresText(team.medians as Record<string, number>)
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
