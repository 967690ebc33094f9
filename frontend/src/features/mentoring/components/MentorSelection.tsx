import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap, type Schemas } from '../../../api/client';
import { Button } from '../../../components/Button';
import { useLabels } from '../../../components/labels';
import { Table } from '../../../components/Table';
import { ErrorNote, Loading } from '../../../components/ui';
import { mentoringKeys, useMentorApplications } from '../api';
import { SlotList } from './SlotList';

type Row = Schemas['MentorApplicationRow'];

/** Mentor applications under handles, with their coarse attributes and the training result;
 * the lead accepts or declines each (golden rule 1: mentors who master their tools). */
export function MentorSelection({ programme: p }: { programme: Schemas['Programme'] }) {
  const { t } = useTranslation();
  const labels = useLabels();
  const queryClient = useQueryClient();
  const mentors = useMentorApplications(p.id);
  const decide = useMutation({
    mutationFn: ({ row, selection }: { row: Row; selection: Row['selection'] }) =>
      unwrap(
        api.PUT('/api/v1/programmes/{programme_id}/mentors/{pseudonym}/selection', {
          params: { path: { programme_id: p.id, pseudonym: row.pseudonym } },
          body: { selection },
        }),
      ),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: mentoringKeys.mentors(p.id) });
      await queryClient.invalidateQueries({ queryKey: mentoringKeys.programme(p.id) });
    },
  });
  const deciding = p.phase === 'applications' || p.phase === 'matching' || p.phase === 'running';
  const training = (row: Row) =>
    row.training_passed === true
      ? t('mentoring.training_state.passed')
      : row.training_passed === false
        ? t('mentoring.training_state.not_yet')
        : t('mentoring.training_state.unknown');
  return (
    <section aria-labelledby="mentors-title">
      <h2 id="mentors-title">{t('mentoring.mentors.title')}</h2>
      <p className="hint">{t('mentoring.mentors.hint')}</p>
      {mentors.isPending && <Loading />}
      <ErrorNote error={mentors.error ?? decide.error} />
      {mentors.data && (
        <Table
          caption={t('mentoring.mentors.title')}
          captionHidden
          rows={mentors.data}
          rowKey={(row) => row.pseudonym}
          empty={t('mentoring.mentors.none')}
          columns={[
            {
              id: 'handle',
              header: t('mentoring.handle'),
              cell: (row) => row.handle,
              rowHeader: true,
            },
            {
              id: 'cohort',
              header: t('mentoring.generation'),
              cell: (row) => labels.cohort(row.cohort),
            },
            {
              id: 'teaches',
              header: t('mentoring.apply.teaches'),
              cell: (row) =>
                row.teaches
                  .map((c) => `${labels.skill(c.skill)} (${t(`skills.level_${c.level}`)})`)
                  .join(', ') || '—',
            },
            {
              id: 'languages',
              header: t('mentoring.apply.languages'),
              cell: (row) => row.languages.map((l) => t(`languages.${l}`)).join(', '),
            },
            {
              id: 'availability',
              header: t('mentoring.apply.availability'),
              cell: (row) => <SlotList slots={row.availability} />,
            },
            {
              id: 'capacity',
              header: t('mentoring.apply.capacity'),
              cell: (row) => t('mentoring.apply.mentees', { count: row.capacity ?? 1 }),
            },
            ...(p.training_required
              ? [{ id: 'training', header: t('mentoring.training'), cell: training }]
              : []),
            { id: 'note', header: t('mentoring.apply.note'), cell: (row) => row.note || '—' },
            {
              id: 'selection',
              header: t('mentoring.selection_title'),
              cell: (row) => (
                <>
                  {t(`mentoring.selection.${row.selection}`)}
                  {deciding && (
                    <span className="button-row">
                      {row.selection !== 'accepted' && (
                        <Button
                          size="sm"
                          onClick={() => decide.mutate({ row, selection: 'accepted' })}
                          aria-label={t('mentoring.mentors.accept', { handle: row.handle })}
                          disabled={decide.isPending}
                        >
                          {t('mentoring.mentors.accept_short')}
                        </Button>
                      )}
                      {row.selection !== 'declined' && (
                        <Button
                          size="sm"
                          variant="secondary"
                          onClick={() => decide.mutate({ row, selection: 'declined' })}
                          aria-label={t('mentoring.mentors.decline', { handle: row.handle })}
                          disabled={decide.isPending}
                        >
                          {t('mentoring.mentors.decline_short')}
                        </Button>
                      )}
                    </span>
                  )}
                </>
              ),
            },
          ]}
        />
      )}
    </section>
  );
}
