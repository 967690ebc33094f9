import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { api, unwrap, type Schemas } from '../../api/client';
import { ErrorNote, Loading, Page } from '../../components/ui';
import { useChallenge } from '../challenges/api';
import { formationKeys, useFormation, useFormations } from './api';
import { Proposal } from './components/Proposal';
import { Button } from '../../components/Button';

type Weights = Schemas['Weights'];
const WEIGHTS: (keyof Weights)[] = [
  'generations',
  'cross_generation_pairs',
  'skill_coverage',
  'same_department_pairs',
  'seniority_bands',
  'together',
];
const DEFAULTS: Weights = {
  generations: 10,
  cross_generation_pairs: 1,
  skill_coverage: 3,
  same_department_pairs: 2,
  seniority_bands: 0,
  together: 1,
};

export function FormationPage() {
  const { t } = useTranslation();
  const { challengeId = '' } = useParams();
  const queryClient = useQueryClient();
  const challenge = useChallenge(challengeId);
  const [weights, setWeights] = useState<Weights>(DEFAULTS);
  const [levels, setLevels] = useState(2);
  const path = { params: { path: { challenge_id: challengeId } } };
  const runs = useFormations(challengeId);
  const latestId = runs.data?.[0]?.id;
  const current = useFormation(challengeId, latestId);
  const start = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/api/v1/challenges/{challenge_id}/formations', {
          ...path,
          body: { weights, time_limit_s: 10, seed: 0, reporting_levels: levels },
        }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: formationKeys.list(challengeId) }),
  });
  const f = current.data;
  // Once teams are published (or enrolment is over), there is nothing to run again.
  const published =
    !!runs.data?.some((run) => run.status === 'published') ||
    (!!challenge.data && challenge.data.phase !== 'enrolment');
  return (
    <Page title={t('formation.title', { title: challenge.data?.title ?? '' })}>
      <p className="lead">{t('formation.intro')}</p>
      {published && !f && (
        <p role="status" className="ok">
          {t('formation.closed')}{' '}
          <Link to={`/facilitate/${challengeId}`}>{t('formation.back')}</Link>
        </p>
      )}
      {!published && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            start.mutate();
          }}
        >
          <fieldset>
            <legend>{t('formation.weights')}</legend>
            <p className="hint">{t('formation.weights_scale')}</p>
            {WEIGHTS.map((w) => (
              <div key={w} className="slider">
                <label htmlFor={`weight-${w}`}>{t(`formation.weight_${w}`)}</label>
                <input
                  id={`weight-${w}`}
                  type="range"
                  min={0}
                  max={20}
                  step={1}
                  value={weights[w]}
                  onChange={(e) => setWeights({ ...weights, [w]: Number(e.target.value) })}
                />
                <output htmlFor={`weight-${w}`}>{weights[w]}</output>
              </div>
            ))}
          </fieldset>
          <label>
            {t('formation.reporting_levels')}{' '}
            <select value={levels} onChange={(e) => setLevels(Number(e.target.value))}>
              {[1, 2, 3].map((n) => (
                <option key={n} value={n}>
                  {t(`formation.levels_${n}`)}
                </option>
              ))}
            </select>
          </label>
          <ErrorNote error={start.error} />
          <Button type="submit" disabled={start.isPending || f?.status === 'running'}>
            {f ? t('formation.rerun') : t('formation.run')}
          </Button>
        </form>
      )}
      {runs.isPending && <Loading />}
      {f?.status === 'running' && (
        <p>
          <label>
            {t('formation.running')} <progress max={1} value={f.progress} />
          </label>
        </p>
      )}
      {f?.status === 'failed' && (
        <p className="error" role="alert">
          {t('formation.failed')} {t('formation.failed_hint')}
        </p>
      )}
      {f && f.status !== 'running' && <Proposal formation={f} challengeId={challengeId} />}
    </Page>
  );
}
