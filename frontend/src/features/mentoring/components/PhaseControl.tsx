import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap, type Schemas } from '../../../api/client';
import { Button } from '../../../components/Button';
import { ConfirmDialog } from '../../../components/ConfirmDialog';
import { ErrorNote } from '../../../components/ui';
import { PHASES, mentoringKeys } from '../api';

/** "Move to <next phase>" with its confirmation: phases only move forward. Closing is offered
 * from every phase but the last, as the server allows it whatever the programme reached. */
export function PhaseControl({ programme: p }: { programme: Schemas['Programme'] }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [target, setTarget] = useState<Schemas['ProgrammePhaseChange']['phase'] | null>(null);
  const move = useMutation({
    mutationFn: (phase: Schemas['ProgrammePhaseChange']['phase']) =>
      unwrap(
        api.POST('/api/v1/programmes/{programme_id}/phase', {
          params: { path: { programme_id: p.id } },
          body: { phase },
        }),
      ),
    onSuccess: (saved) => {
      queryClient.setQueryData(mentoringKeys.programme(p.id), saved);
      void queryClient.invalidateQueries({ queryKey: mentoringKeys.all });
    },
  });
  const next = PHASES[PHASES.indexOf(p.phase) + 1];
  if (!next) return null;
  const targets = next === 'closed' ? [next] : [next, 'closed' as const];
  return (
    <div className="phase-control">
      <div className="button-row">
        {targets.map((phase) => (
          <Button
            key={phase}
            variant={phase === 'closed' && next !== 'closed' ? 'secondary' : 'primary'}
            onClick={() => setTarget(phase)}
            disabled={move.isPending}
          >
            {t(`mentoring.move_to.${phase}`)}
          </Button>
        ))}
      </div>
      <ErrorNote error={move.error} />
      <ConfirmDialog
        open={target !== null}
        title={target ? t(`mentoring.move_to.${target}`) + '?' : ''}
        confirmLabel={target ? t(`mentoring.move_to.${target}`) : ''}
        cancelLabel={t('common.cancel')}
        onCancel={() => setTarget(null)}
        onConfirm={() => {
          if (target) move.mutate(target);
          setTarget(null);
        }}
      >
        <p>{target ? t(`mentoring.move_means.${target}`) : ''}</p>
      </ConfirmDialog>
    </div>
  );
}
