import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState, type DragEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, unwrap, type Schemas } from '../../../api/client';
import { ConfirmDialog } from '../../../components/ConfirmDialog';
import { useLabels } from '../../../components/labels';
import { ErrorNote } from '../../../components/ui';
import { formationKeys } from '../api';
import { chosenMove, dropMove, moveTargets, type Move } from '../moves';
import { Badge } from '../../../components/Badge';
import { Card } from '../../../components/Card';
import { Stat, StatList } from '../../../components/Stat';
import { proposalCriteria, teamBadges } from '../quality';
import { Button } from '../../../components/Button';

type Formation = Schemas['Formation'];

/** The optimiser's proposal: its scores, and the teams, where people can be moved until it is
 * published. */
export function Proposal({
  formation,
  challengeId,
}: {
  formation: Formation;
  challengeId: string;
}) {
  const { t } = useTranslation();
  const labels = useLabels();
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const publishedNote = useRef<HTMLParagraphElement>(null);
  const [dragged, setDragged] = useState<string | null>(null);
  const [announce, setAnnounce] = useState('');
  const proposal = formation.proposal;
  const path = { params: { path: { challenge_id: challengeId, formation_id: formation.id } } };
  const move = useMutation({
    mutationFn: (m: Move) =>
      unwrap(
        api.PATCH('/api/v1/challenges/{challenge_id}/formations/{formation_id}', {
          ...path,
          body: { moves: [m] },
        }),
      ),
    onSuccess: (data, m) => {
      queryClient.setQueryData(formationKeys.detail(challengeId, formation.id), data);
      setAnnounce(t('formation.moved', { team: m.to_team + 1 }));
    },
  });
  const publish = useMutation({
    mutationFn: () =>
      unwrap(api.POST('/api/v1/challenges/{challenge_id}/formations/{formation_id}/publish', path)),
    onSuccess: () => queryClient.invalidateQueries(),
  });
  // The publish button is gone once the teams are out: the focus goes to what happened.
  useEffect(() => {
    if (publish.isSuccess) publishedNote.current?.focus();
  }, [publish.isSuccess]);
  if (!proposal) return null;
  const o = proposal.overall as Record<string, unknown>;
  const people = proposal.teams.reduce((sum, team) => sum + team.members.length, 0);
  const count = (value: unknown) => (typeof value === 'number' ? value : 0);
  const editable = formation.status === 'done';
  const drop = (team: number) => (e: DragEvent) => {
    e.preventDefault();
    const m = dropMove(dragged, team);
    if (m) move.mutate(m);
    setDragged(null);
  };
  return (
    <section aria-labelledby="proposal-title">
      <h2 id="proposal-title">{t('formation.proposal')}</h2>
      <StatList label={t('formation.at_a_glance')}>
        <Stat label={t('formation.stat_teams')} value={proposal.teams.length} />
        <Stat label={t('formation.stat_people')} value={people} />
        <Stat
          label={t('formation.stat_mixed')}
          value={Math.round(count(o.teams_with_3plus_cohorts) * proposal.teams.length)}
        />
      </StatList>
      <h3>{t('formation.quality_title')}</h3>
      <ul className="formation-quality">
        {proposalCriteria(o).map((c) => (
          <li key={c.id}>
            <strong>
              {t('formation.quality_rated', {
                criterion: t(`formation.quality.${c.id}_name`),
                rating: t(`formation.rating.${c.rating}`),
              })}
            </strong>{' '}
            {t(`formation.quality.${c.sentence}`, c.params)}
          </li>
        ))}
      </ul>
      <p className="hint">{t('formation.move_hint')}</p>
      <ErrorNote error={move.error} />
      <p role="status" className="visually-hidden">
        {announce}
      </p>
      <ol className="proposal">
        {proposal.teams.map((team) => {
          const m = team.metrics as Record<string, unknown>;
          return (
            <Card
              as="li"
              key={team.index}
              onDragOver={(e) => e.preventDefault()}
              onDrop={drop(team.index)}
            >
              <h3>{t('formation.team', { n: team.index + 1 })}</h3>
              <p className="team-badges">
                {teamBadges(m).map((b) => (
                  <Badge key={b.id} tone={b.tone}>
                    {t(`formation.badge.${b.id}`, b.params)}
                  </Badge>
                ))}
              </p>
              <p className="muted">
                {[
                  t('team.seniority_bands', {
                    count: Object.keys((m.seniority_bands as object) ?? {}).length,
                  }),
                  t('team.departments', { count: Number(m.departments ?? 0) }),
                ].join(' · ')}
              </p>
              <p className="muted">
                {t('formation.covered')}:{' '}
                {((m.skills_covered as string[]) ?? []).map(labels.skill).join(', ') || '—'} ·{' '}
                {t('formation.uncovered')}:{' '}
                {((m.skills_uncovered as string[]) ?? []).map(labels.skill).join(', ') || '—'}
              </p>
              <ul>
                {team.members.map((member) => (
                  <li
                    key={member.pseudonym}
                    draggable={editable}
                    onDragStart={() => setDragged(member.pseudonym)}
                  >
                    {member.handle}{' '}
                    <span className="muted">
                      ({member.cohort ? labels.cohort(member.cohort) : '—'})
                    </span>
                    {editable && (
                      <label className="inline">
                        <span className="visually-hidden">
                          {t('formation.move_person', { handle: member.handle })}
                        </span>
                        <select
                          value=""
                          onChange={(e) => {
                            const m = chosenMove(member.pseudonym, e.target.value);
                            if (m) move.mutate(m);
                          }}
                        >
                          <option value="">{t('formation.move_to')}</option>
                          {moveTargets(proposal.teams, team.index).map((other) => (
                            <option key={other.index} value={other.index}>
                              {t('formation.team', { n: other.index + 1 })}
                            </option>
                          ))}
                        </select>
                      </label>
                    )}
                  </li>
                ))}
              </ul>
            </Card>
          );
        })}
      </ol>
      {editable && (
        <>
          <Button onClick={() => setConfirming(true)} disabled={publish.isPending}>
            {t('formation.publish')}
          </Button>
          <ErrorNote error={publish.error} />
          <ConfirmDialog
            open={confirming}
            title={t('formation.publish_confirm_title')}
            confirmLabel={t('formation.publish')}
            cancelLabel={t('common.cancel')}
            onCancel={() => setConfirming(false)}
            onConfirm={() => {
              setConfirming(false);
              publish.mutate();
            }}
          >
            <p>{t('formation.publish_confirm', { count: proposal.teams.length })}</p>
          </ConfirmDialog>
        </>
      )}
      {(formation.status === 'published' || publish.isSuccess) && (
        <p role="status" className="ok" tabIndex={-1} ref={publishedNote}>
          {t('formation.published')}{' '}
          <Link to={`/facilitate/${challengeId}`}>{t('formation.back')}</Link>
        </p>
      )}
    </section>
  );
}
