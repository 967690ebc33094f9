// "What's next": the one next action in each of one's challenges, most urgent first.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ErrorNote, Loading, PhaseBadge, formatDate } from '../../../components/ui';
import { useNextActions, type NextAction } from '../api';
import { RelativeTime } from './RelativeTime';
import '../home.css';
import { Badge } from '../../../components/Badge';
import { EmptyState } from '../../../components/EmptyState';
import { Card } from '../../../components/Card';

/** Where each kind of action is done. */
function target(item: NextAction): string {
  const challenge = `/challenges/${item.challenge_id}`;
  const managed = `/facilitate/${item.challenge_id}`;
  switch (item.kind) {
    case 'meet_team':
    case 'submit':
      return item.team_id ? `/teams/${item.team_id}` : challenge;
    case 'review':
      return `${challenge}/review`;
    case 'results':
      return `${challenge}/results`;
    case 'publish_formation':
      return `${managed}/formation`;
    case 'form_teams':
      return item.formation_mode === 'optimised' ? `${managed}/formation` : managed;
    case 'publish_draft':
    case 'close_round':
      return managed;
    default:
      return challenge;
  }
}

/** The reviews this browser wrote in a round (its own token wallet: the server cannot know). */
function useReviewsWritten(roundId: string | null | undefined): number | null {
  const [written, setWritten] = useState<number | null>(null);
  useEffect(() => {
    if (!roundId) return;
    let live = true;
    // The wallet's module (and its crypto library) loads only for someone with reviews to do.
    import('../../reviews/wallet')
      .then(({ tokensOf }) => tokensOf(roundId))
      .then((tokens) => {
        if (!live || tokens.length === 0) return;
        setWritten(tokens.filter((t) => t.state !== 'unsent' && t.state !== 'lost').length);
      })
      .catch(() => undefined); // no wallet in this browser: the server's count stands
    return () => {
      live = false;
    };
  }, [roundId]);
  return written;
}

function What({ item }: { item: NextAction }) {
  const { t } = useTranslation();
  const written = useReviewsWritten(item.kind === 'review' ? item.round_id : null);
  const count = item.count ?? 0;
  if (item.kind === 'submit')
    return <>{t(`home.what.submit_${item.submission_status ?? 'none'}`)}</>;
  if (item.kind === 'review') {
    if (written === null) return <>{t('home.what.review', { count })}</>;
    const left = Math.max(count - written, 0);
    return (
      <>
        {left === 0
          ? t('home.what.review_done')
          : t('home.what.review_left', { count: left, total: count })}
      </>
    );
  }
  if (item.kind === 'form_teams') return <>{t('home.what.form_teams', { count })}</>;
  return <>{t(`home.what.${item.kind}`)}</>;
}

function NextCard({ item }: { item: NextAction }) {
  const { t, i18n } = useTranslation();
  const headingId = `next-${item.kind}-${item.challenge_id}`;
  return (
    <Card as="li" className={`next-card next-${item.role}`}>
      <h3 id={headingId}>{item.challenge_title}</h3>
      <p className="next-role">
        {item.role === 'facilitator' && <Badge>{t('home.you_facilitate')}</Badge>}{' '}
        <PhaseBadge phase={item.phase} />
      </p>
      <p className="next-what">
        <What item={item} />
      </p>
      {item.deadline && (
        <p className="next-deadline">
          {t(`home.deadline.${item.kind}`)}{' '}
          <time dateTime={item.deadline}>{formatDate(item.deadline, i18n.language)}</time> (
          <RelativeTime until={item.deadline} />)
        </p>
      )}
      <p>
        <Link className="button" to={target(item)} aria-describedby={headingId}>
          {t(`home.go.${item.kind}`)}
        </Link>
      </p>
    </Card>
  );
}

export function WhatsNext() {
  const { t } = useTranslation();
  const next = useNextActions();
  return (
    <section className="whats-next" aria-labelledby="whats-next-title">
      <h2 id="whats-next-title">{t('home.title')}</h2>
      {next.isPending && <Loading />}
      <ErrorNote error={next.error} />
      {next.data && next.data.items.length === 0 && (
        <EmptyState className="next-empty">{t('home.empty')}</EmptyState>
      )}
      {next.data && next.data.items.length > 0 && (
        <ul className="cards next-cards">
          {next.data.items.map((item) => (
            <NextCard key={`${item.role}-${item.kind}-${item.challenge_id}`} item={item} />
          ))}
        </ul>
      )}
    </section>
  );
}
