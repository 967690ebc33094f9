import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, unwrap } from '../../../api/client';
import { meKeys, useNotices } from '../api';
import { Button } from '../../../components/Button';

// Notices about a team's submission: feedback from a facilitator, a final marked or withdrawn.
const SUBMISSION_NOTICES = ['team_feedback', 'submission_final', 'submission_reopened'];

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
        {unread.map((n) => (
          <li key={n.id}>
            {n.kind === 'team_assigned' ? (
              <Link to={`/teams/${String(n.params.team_id)}`}>
                {t('notices.team_assigned', { team: String(n.params.team_name) })}
              </Link>
            ) : n.kind === 'member_left' ? (
              <Link to={`/teams/${String(n.params.team_id)}`}>
                {t('notices.member_left', { team: String(n.params.team_name) })}
              </Link>
            ) : SUBMISSION_NOTICES.includes(n.kind) ? (
              <Link to={`/teams/${String(n.params.team_id)}`}>
                {t(`notices.${n.kind}`, {
                  team: String(n.params.team_name),
                  handle: String(n.params.handle ?? ''),
                  version: Number(n.params.version ?? 0),
                })}
              </Link>
            ) : (
              n.kind
            )}{' '}
            <Button variant="link" onClick={() => read.mutate(n.id)}>
              {t('notices.dismiss')}
            </Button>
          </li>
        ))}
      </ul>
    </section>
  );
}
