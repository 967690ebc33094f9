import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ApiError, api, unwrap, type Schemas } from '../api/client';
import { Countdown, ErrorNote, Loading, Page } from '../components/ui';
import { checkComment, ConfirmSend, FlaggedComment, utf16Range, WarningList, type CommentWarning } from '../reviews/CommentCheck';
import { checkReceipts, isWaiting, RECEIPT_CHECK_MS, reviewBody, sendReview } from '../reviews/receipts';
import { codeToShow, forgetCodeToShow } from '../reviews/recovery';
import { RecoveryCodeShown, RecoverWithCode, storeWallet } from '../reviews/RecoveryPanels';
import { obtainTokens, recorded, saveTokens, tokensOf, walletTokens, type Token } from '../reviews/wallet';
import '../reviews/reviews.css';
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

type Stage = { step: 'idle' } | { step: 'checking' } | { step: 'confirm'; warnings: CommentWarning[] } | { step: 'sending' };

function ReviewForm({ submission, token, rubric, onDone }: { submission: Schemas['SubmissionToReview']; token: Token; rubric: Criterion[]; onDone: () => void }) {
  const { t } = useTranslation();
  const draftKey = `review-draft:${token.round_id}:${submission.id}`;
  const [scores, setScores] = useState<Record<string, number>>({});
  const [comment, setComment] = useState(() => sessionStorage.getItem(draftKey) ?? '');
  const [checked, setChecked] = useState<CommentWarning[] | null>(null);
  const [stage, setStage] = useState<Stage>({ step: 'idle' });
  const [error, setError] = useState<unknown>(null);
  const textarea = useRef<HTMLTextAreaElement>(null);
  useEffect(() => sessionStorage.setItem(draftKey, comment), [draftKey, comment]);

  /** The check, with the token; a spent token means this review was sent already. */
  async function runCheck(): Promise<CommentWarning[] | null> {
    let result;
    try {
      result = await checkComment(token, comment);
    } catch {
      setError(new ApiError({ title: 'offline', status: 0, code: 'network' }));
      return null;
    }
    if (result.ok) return result.warnings;
    if (result.code === 'token_spent') {
      await saveTokens([recorded(token)]);
      sessionStorage.removeItem(draftKey);
      onDone();
      return null;
    }
    setError(new ApiError({ title: result.code, status: result.status, code: result.code, detail: result.detail }));
    return null;
  }

  async function check() {
    setError(null);
    setStage({ step: 'checking' });
    const warnings = await runCheck();
    setStage({ step: 'idle' });
    if (warnings) setChecked(warnings);
  }

  async function send() {
    setError(null);
    setStage({ step: 'sending' });
    try {
      await sendReview(token, reviewBody(token, scores, comment));
      sessionStorage.removeItem(draftKey);
      onDone();
    } catch (e) {
      setError(e);
      setStage({ step: 'idle' });
      onDone();
    }
  }

  /** Send always checks the comment first; a flagged comment needs the person's confirmation. */
  async function checkThenSend() {
    setError(null);
    setStage({ step: 'checking' });
    const warnings = await runCheck();
    if (!warnings) {
      setStage({ step: 'idle' });
      return;
    }
    setChecked(warnings);
    if (warnings.length > 0) setStage({ step: 'confirm', warnings });
    else await send();
  }

  // Back to the comment once the dialog has closed (while it is open the form is inert), with
  // the first flagged passage selected.
  const [editAt, setEditAt] = useState<CommentWarning | null>(null);
  useEffect(() => {
    const element = textarea.current;
    if (!editAt || !element) return;
    element.focus();
    element.setSelectionRange(...utf16Range(element.value, editAt));
    setEditAt(null);
  }, [editAt]);

  function edit(warnings: CommentWarning[]) {
    setStage({ step: 'idle' });
    setEditAt(warnings[0] ?? null);
  }

  const busy = stage.step !== 'idle';
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        void checkThenSend();
      }}
    >
      <Scores rubric={rubric} scores={scores} onChange={setScores} />
      <label htmlFor={`comment-${submission.id}`}>{t('review.comment')}</label>
      <p className="hint" id={`comment-hint-${submission.id}`}>
        {t('review.comment_hint')}
      </p>
      <textarea
        id={`comment-${submission.id}`}
        ref={textarea}
        aria-describedby={`comment-hint-${submission.id}`}
        rows={5}
        maxLength={5000}
        value={comment}
        onChange={(e) => {
          setComment(e.target.value);
          setChecked(null);
        }}
      />
      <button type="button" className="secondary" onClick={() => void check()} disabled={busy}>
        {t('review.check_comment')}
      </button>
      <div role="status" className={`check-result ${checked?.length ? 'warning' : 'ok'}`}>
        {stage.step === 'checking' && <p className="muted">{t('review.checking')}</p>}
        {checked && stage.step !== 'confirm' && checked.length === 0 && <p>{t('review.no_warnings')}</p>}
        {checked && stage.step !== 'confirm' && checked.length > 0 && (
          <>
            <p>{t('review.warnings_intro')}</p>
            <FlaggedComment comment={comment} warnings={checked} />
            <WarningList warnings={checked} />
          </>
        )}
      </div>
      {stage.step === 'confirm' && (
        <ConfirmSend comment={comment} warnings={stage.warnings} busy={false} onEdit={() => edit(stage.warnings)} onSend={() => void send()} />
      )}
      <ErrorNote error={error} />
      <p className="hint">{t('review.send_hint')}</p>
      <button type="submit" disabled={busy}>
        {stage.step === 'sending' ? t('review.sending') : t('review.send')}
      </button>
    </form>
  );
}

/** Where a sent review stands, in plain words; read out when it changes. */
function ReviewStatus({ token, focus }: { token: Token | undefined; focus: boolean }) {
  const { t } = useTranslation();
  const element = useRef<HTMLParagraphElement>(null);
  useEffect(() => {
    if (focus) element.current?.focus();
  }, [focus]);
  let text = t('review.no_token_here');
  if (token?.state === 'queued') text = t('review.state_queued');
  if (token?.state === 'pending') text = token.review ? t('review.state_pending') : t('review.state_pending_elsewhere');
  if (token?.state === 'committed') text = t('review.state_committed');
  if (token?.state === 'lost') text = t('review.state_lost');
  return (
    <p role="status" tabIndex={-1} ref={element} className={`review-state ${token?.state ?? 'none'}`}>
      {text}
    </p>
  );
}

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
  const manifest = useQuery({ queryKey: ['manifest', challengeId], queryFn: () => unwrap(api.GET('/api/v1/challenges/{challenge_id}/review-round', path)) });
  const submissions = useQuery({ queryKey: ['to-review', challengeId], queryFn: () => unwrap(api.GET('/api/v1/challenges/{challenge_id}/submissions', path)) });
  const status = useQuery({ queryKey: ['issuance', challengeId], queryFn: () => unwrap(api.GET('/api/v1/challenges/{challenge_id}/review-round/tokens', path)) });
  const roundId = manifest.data?.round_id ?? '';
  const roundOpen = manifest.data?.state === 'open';
  // On load, and every RECEIPT_CHECK_MS while a review this browser sent is not yet recorded:
  // ask for its receipt, and send it again if the service lost it.
  const wallet = useQuery({
    queryKey: ['wallet', roundId],
    enabled: !!roundId,
    queryFn: async () => {
      await checkReceipts(roundId, roundOpen);
      return tokensOf(roundId);
    },
    refetchInterval: (query) => ((query.state.data ?? []).some(isWaiting) ? RECEIPT_CHECK_MS : false),
    refetchIntervalInBackground: true,
  });
  const [progress, setProgress] = useState<[number, number] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [shownCode, setShownCode] = useState<string | null>(null);
  const [justSent, setJustSent] = useState<string | null>(null);
  const [recovered, setRecovered] = useState(false);
  useEffect(() => {
    if (roundId) setShownCode(codeToShow(roundId));
  }, [roundId]);

  async function reloadWallet() {
    queryClient.setQueryData(['wallet', roundId], await tokensOf(roundId));
  }

  async function makeCode(tokens: Token[]) {
    setShownCode(await storeWallet(challengeId, roundId, tokens));
    await queryClient.invalidateQueries({ queryKey: ['issuance', challengeId] });
  }

  async function getTokens() {
    if (!manifest.data || !status.data) return;
    setError(null);
    try {
      const tokens = await obtainTokens(
        manifest.data,
        status.data.eligible_submission_ids,
        (blinded) => unwrap(api.POST('/api/v1/challenges/{challenge_id}/review-round/tokens', { ...path, body: { blinded } })),
        (done, total) => setProgress([done, total]),
      );
      await reloadWallet();
      await queryClient.invalidateQueries({ queryKey: ['issuance', challengeId] });
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
  if (failure || !manifest.data || !submissions.data || !status.data) return <ErrorNote error={failure} />;
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
      {shownCode && (
        <RecoveryCodeShown
          code={shownCode}
          onSaved={() => {
            forgetCodeToShow(roundId);
            setShownCode(null);
            document.getElementById('submissions-title')?.focus();
          }}
        />
      )}
      {status.data.issued && !shownCode && !walletStored && canMakeWallet && wallet.isSuccess && (
        <section aria-labelledby="make-code-title" className="recovery">
          <h2 id="make-code-title">{t('review.make_code_title')}</h2>
          <p>{t('review.make_code_explain')}</p>
          <button type="button" onClick={() => void makeCodeLater()}>
            {t('review.make_code')}
          </button>
        </section>
      )}
      {status.data.issued && wallet.isSuccess && tokens.size === 0 &&
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
          <article key={s.id} className="card" aria-labelledby={`submission-${s.id}`}>
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
