import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, unwrap } from '../../../api/client';
import { meKeys, useNotices } from '../api';
import { Button } from '../../../components/Button';

// A mentoring pair that has not met for five weeks, a session proposed, or an accepted session
// starting within a day: the notice leads to the pair's page (the only place that shows the
// session's time and place); a partner proposed, to the programme's page (where it is answered).
const PAIR_NOTICES = ['mentoring_reminder', 'mentoring_session_proposed', 'mentoring_session_soon'];
// A challenge's schedule (teamwork began, reviews open or close soon, results are out): the
// notice leads to the challenge.
const CHALLENGE_NOTICES = [
  'teamwork_started',
  'review_round_open',
  'review_closing_soon',
  'results_released',
];
// Notices that lead to the team's page: a team given or left, a facilitator's feedback, a final
// marked or withdrawn, the idea library's proposals, vetoes, publication and unpublication.
const LINKED_NOTICES = [
  'team_assigned',
  'member_left',
  'team_feedback',
  'submission_final',
  'submission_reopened',
  'idea_proposed',
  'idea_vetoed',
  'idea_published',
  'idea_unpublished',
];

/** The person's unread notices (on the list of challenges). */
export function Notices() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const notices = useNotices();
  const read = useMutation({
    mutationFn: (id: string) =>
      unwrap(
        api.POST('/api/v1/me/notifications/{notification_id}/read', {
          params: { path: { notification_id: id } },
        }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: meKeys.notices() }),
  });
  const unread = (notices.data ?? []).filter((n) => !n.read);
  if (unread.length === 0) return null;
  return (
    <section aria-labelledby="notices-title" className="notices">
      <h2 id="notices-title">{t('notices.title')}</h2>
      <ul>
        {unread.map((n) => {
          // Following a notice's link is reading it: it leaves the list, as "Dismiss" does.
          const follow = () => read.mutate(n.id);
          const link =
            PAIR_NOTICES.includes(n.kind) && n.programme_id ? (
              <Link to={`/programmes/${n.programme_id}/pair`} onClick={follow}>
                {t(`notices.${n.kind}`, {
                  programme: String(n.params.programme_title ?? ''),
                  weeks: Number(n.params.weeks ?? 5),
                })}
              </Link>
            ) : n.kind === 'mentoring_match' && n.programme_id ? (
              <Link to={`/programmes/${n.programme_id}`} onClick={follow}>
                {t('notices.mentoring_match', {
                  programme: String(n.params.programme_title ?? ''),
                })}
              </Link>
            ) : CHALLENGE_NOTICES.includes(n.kind) && n.challenge_id ? (
              <Link to={`/challenges/${n.challenge_id}`} onClick={follow}>
                {t(`notices.${n.kind}`, { challenge: String(n.params.challenge_title ?? '') })}
              </Link>
            ) : LINKED_NOTICES.includes(n.kind) ? (
              <Link to={`/teams/${String(n.params.team_id)}`} onClick={follow}>
                {t(`notices.${n.kind}`, {
                  team: String(n.params.team_name),
                  handle: String(n.params.handle ?? ''),
                  version: Number(n.params.version ?? 0),
                  reason: n.params.reason ? t(`ideas.reasons.${String(n.params.reason)}`) : '',
                })}
              </Link>
            ) : (
              n.kind
            );
          return (
            <li key={n.id}>
              {link}{' '}
              <Button variant="link" onClick={() => read.mutate(n.id)}>
                {t('notices.dismiss')}
              </Button>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
