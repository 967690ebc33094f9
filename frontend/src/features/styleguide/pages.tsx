// The style guide (/styleguide): every shared component and the design tokens, for people who
// build the UI. Development builds only: App.tsx routes it under `import.meta.env.DEV`, so
// neither the route nor this chunk is in a production build (tests/e2e/test_styleguide.py).
// Its words are for developers, not translated: section names are code (component and token
// names); the examples use the app's own texts.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Badge } from '../../components/Badge';
import { Button, buttonClass } from '../../components/Button';
import { Card } from '../../components/Card';
import { BreakdownChart } from '../../components/Chart';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { EmptyState } from '../../components/EmptyState';
import { Field, Form } from '../../components/form';
import { Select } from '../../components/Select';
import { Skeleton } from '../../components/Skeleton';
import { Stat, StatList } from '../../components/Stat';
import { Table, type Column } from '../../components/Table';
import { Tabs } from '../../components/Tabs';
import { useToast } from '../../components/Toast';
import { Loading, Page, PhaseBadge } from '../../components/ui';
import type { Breakdown } from '../insights/breakdowns';
import './styleguide.css';

const COLOURS = [
  '--ink',
  '--muted',
  '--paper',
  '--card',
  '--line',
  '--input-border',
  '--accent',
  '--accent-ink',
  '--ok',
  '--warn',
  '--error',
  '--highlight',
  '--accent-soft',
  '--ok-soft',
  '--error-soft',
  '--neutral-soft',
  '--phase-enrolment',
  '--phase-teamwork',
  '--phase-review',
  '--phase-closed',
  '--focus',
];
const SPACES = [
  '--space-0',
  '--space-1',
  '--space-2',
  '--space-3',
  '--space-4',
  '--space-5',
  '--space-6',
  '--space-7',
];
const TYPE = [
  '--text-sm',
  '--text-md',
  '--text-base',
  '--text-lg',
  '--text-xl',
  '--text-2xl',
  '--text-3xl',
];
const RADII = ['--radius-sm', '--radius-md', '--radius-lg', '--radius-pill'];
const SHADOWS = ['--shadow-1', '--shadow-2', '--shadow-3'];

interface Row {
  id: number;
  handle: string;
  generation: string;
  reviews: number;
}
const ROWS: Row[] = [
  { id: 1, handle: 'Amber Heron', generation: '1965–1980', reviews: 3 },
  { id: 2, handle: 'Quiet Lynx', generation: '1981–1996', reviews: 2 },
];

const SAMPLE: Breakdown = {
  id: 'tracks',
  headers: ['Track', 'Joined', 'Finished'],
  rows: [
    ['beginner', 12, 9],
    ['intermediate', 8, 7],
    ['advanced', 5, 5],
  ],
};

function value(token: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(token).trim();
}

function TokenList({
  tokens,
  sample,
}: {
  tokens: string[];
  sample: (token: string) => React.ReactNode;
}) {
  return (
    <ul className="styleguide-tokens">
      {tokens.map((token) => (
        <li key={token}>
          {sample(token)}
          <code>{token}</code> <span className="muted">{value(token)}</span>
        </li>
      ))}
    </ul>
  );
}

export function StyleGuidePage() {
  const { t } = useTranslation();
  const toast = useToast();
  const [confirming, setConfirming] = useState(false);
  const [phase, setPhase] = useState('enrolment');
  const columns: Column<Row>[] = [
    { id: 'handle', header: t('team.members'), cell: (r) => r.handle, rowHeader: true },
    { id: 'generation', header: t('profile.generation'), cell: (r) => r.generation },
    { id: 'reviews', header: t('review.title'), cell: (r) => r.reviews, nowrap: true },
  ];
  return (
    <Page title={'Style guide'}>
      <section aria-labelledby="sg-tokens">
        <h2 id="sg-tokens">{'Tokens'}</h2>
        <h3>{'Colour'}</h3>
        <TokenList
          tokens={COLOURS}
          sample={(token) => <span className="swatch" style={{ background: `var(${token})` }} />}
        />
        <h3>{'Spacing'}</h3>
        <TokenList
          tokens={SPACES}
          sample={(token) => <span className="space-sample" style={{ width: `var(${token})` }} />}
        />
        <h3>{'Type'}</h3>
        <TokenList
          tokens={TYPE}
          sample={(token) => <span style={{ fontSize: `var(${token})` }}>{t('app.name')} </span>}
        />
        <h3>{'Radius'}</h3>
        <TokenList
          tokens={RADII}
          sample={(token) => <span className="swatch" style={{ borderRadius: `var(${token})` }} />}
        />
        <h3>{'Elevation'}</h3>
        <TokenList
          tokens={SHADOWS}
          sample={(token) => (
            <span className="swatch elevated" style={{ boxShadow: `var(${token})` }} />
          )}
        />
      </section>

      <section aria-labelledby="sg-button">
        <h2 id="sg-button">{'Button'}</h2>
        <div className="button-row">
          <Button>{t('common.save')}</Button>
          <Button variant="secondary">{t('common.cancel')}</Button>
          <Button variant="danger">{t('common.remove')}</Button>
          <Button variant="link">{t('common.continue')}</Button>
          <Button size="sm">{t('common.save')}</Button>
          <Button disabled>{t('common.save')}</Button>
          <a className={buttonClass('secondary')} href="#sg-button">
            {t('common.continue')}
          </a>
        </div>
      </section>

      <section aria-labelledby="sg-field">
        <h2 id="sg-field">{'Field, Select'}</h2>
        <Form error={null} onSubmit={(e) => e.preventDefault()}>
          <Field label={t('profile.generation')} hint={t('profile.generation_hint')}>
            {(props) => <input {...props} />}
          </Field>
          <Field label={t('profile.email')} error={t('errors.generic')}>
            {(props) => <input type="email" {...props} />}
          </Field>
          <Select
            label={t('challenges.phase_filter')}
            value={phase}
            onChange={(e) => setPhase(e.target.value)}
            options={['enrolment', 'teamwork', 'review', 'closed'].map((p) => ({
              value: p,
              label: t(`phase.${p}`),
            }))}
          />
        </Form>
      </section>

      <section aria-labelledby="sg-card">
        <h2 id="sg-card">{'Card, Badge, Stat'}</h2>
        <ul className="cards">
          <Card as="li">
            <h3>{t('app.name')}</h3>
            <p>
              <PhaseBadge phase="enrolment" /> <PhaseBadge phase="teamwork" />{' '}
              <PhaseBadge phase="review" /> <PhaseBadge phase="closed" />
            </p>
            <p>
              <Badge>{t('team.you')}</Badge> <Badge tone="ok">{t('common.saved')}</Badge>
            </p>
          </Card>
        </ul>
        <StatList>
          <Stat label={t('team.members')} value={25} />
          <Stat label={t('review.title')} value={61} />
        </StatList>
      </section>

      <section aria-labelledby="sg-table">
        <h2 id="sg-table">{'Table'}</h2>
        <Table caption={t('team.members')} columns={columns} rows={ROWS} rowKey={(r) => r.id} />
        <Table
          caption={t('team.members')}
          columns={columns}
          rows={[]}
          rowKey={(r) => r.id}
          empty={<EmptyState>{t('home.empty')}</EmptyState>}
        />
      </section>

      <section aria-labelledby="sg-tabs">
        <h2 id="sg-tabs">{'Tabs'}</h2>
        <Tabs
          label={t('challenges.phase_filter')}
          tabs={['enrolment', 'teamwork', 'review'].map((p) => ({
            id: p,
            label: t(`phase.${p}`),
            content: <p>{t(`phase.${p}`)}</p>,
          }))}
        />
      </section>

      <section aria-labelledby="sg-feedback">
        <h2 id="sg-feedback">{'ConfirmDialog, Toast, EmptyState, Skeleton, Loading'}</h2>
        <div className="button-row">
          <Button variant="danger" onClick={() => setConfirming(true)}>
            {t('common.remove')}
          </Button>
          <Button variant="secondary" onClick={() => toast(t('common.saved'))}>
            {t('common.save')}
          </Button>
        </div>
        <ConfirmDialog
          open={confirming}
          title={t('common.remove')}
          confirmLabel={t('common.yes')}
          cancelLabel={t('common.no')}
          onConfirm={() => setConfirming(false)}
          onCancel={() => setConfirming(false)}
        >
          <p>{t('errors.generic')}</p>
        </ConfirmDialog>
        <EmptyState action={<a href="#sg-tokens">{t('common.continue')}</a>}>
          {t('home.empty')}
        </EmptyState>
        <Skeleton />
        <Loading />
      </section>

      <section aria-labelledby="sg-chart">
        <h2 id="sg-chart">{'Chart'}</h2>
        <BreakdownChart breakdown={SAMPLE} title={t('app.name')} series={[1, 2]} />
      </section>
    </Page>
  );
}
