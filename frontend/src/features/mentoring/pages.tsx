// Mentoring programmes: the list, a programme (and applying to it), one's pair, creating a
// programme, and the leads' page.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { buttonClass } from '../../components/Button';
import { Card } from '../../components/Card';
import { EmptyState } from '../../components/EmptyState';
import { useLabels } from '../../components/labels';
import { Tabs } from '../../components/Tabs';
import { useToast } from '../../components/Toast';
import { ErrorNote, Loading, Page, formatDate } from '../../components/ui';
import { hasRole, useMe } from '../me/api';
import { isLeadView, useMyPair, useProgramme, useProgrammes } from './api';
import { Applied } from './components/Applied';
import { ApplyForm } from './components/ApplyForm';
import { FeedbackPanel } from './components/FeedbackPanel';
import { FeedbackResults } from './components/FeedbackResults';
import { Leads } from './components/Leads';
import { MatchingBoard } from './components/MatchingBoard';
import { MentorSelection } from './components/MentorSelection';
import { PairView } from './components/PairView';
import { PhaseControl } from './components/PhaseControl';
import { Progress } from './components/Progress';
import { Pool } from './components/Pool';
import { ProgrammeFacts, ProgrammePhase } from './components/ProgrammeFacts';
import { ProgrammeForm } from './components/ProgrammeForm';
import './mentoring.css';

export function ProgrammeListPage() {
  const { t, i18n } = useTranslation();
  const labels = useLabels();
  const { data: me } = useMe();
  const programmes = useProgrammes();
  const all = programmes.data ?? [];
  const open = all.filter((p) => p.phase === 'applications' && !p.applied && !p.leading);
  const mine = all.filter((p) => p.applied || p.leading);
  const card = (p: (typeof all)[number]) => (
    <Card as="li" key={p.id}>
      <h3>
        <Link to={`/programmes/${p.id}`}>{p.title}</Link>
      </h3>
      <p>
        <ProgrammePhase phase={p.phase} /> · {t(`mentoring.pair_mode_name.${p.pair_mode}`)}
        {p.leading && <> · {t('mentoring.you_lead')}</>}
      </p>
      <p className="muted">{p.topics.map(labels.skill).join(', ')}</p>
      {p.phase === 'applications' && (
        <p className="muted">
          {t('mentoring.applications_close', {
            date: formatDate(p.schedule.applications_close_at, i18n.language),
          })}
        </p>
      )}
    </Card>
  );
  return (
    <Page title={t('mentoring.list_title')}>
      <p className="lead">{t('mentoring.list_intro')}</p>
      {me && hasRole(me, 'facilitator') && (
        <p>
          <Link className={buttonClass()} to="/programmes/new">
            {t('mentoring.create')}
          </Link>
        </p>
      )}
      {programmes.isPending && <Loading />}
      <ErrorNote error={programmes.error} />
      {programmes.data && (
        <>
          <h2>{t('mentoring.open_title')}</h2>
          {open.length === 0 ? (
            <EmptyState>{t('mentoring.open_none')}</EmptyState>
          ) : (
            <ul className="cards">{open.map(card)}</ul>
          )}
          <h2>{t('mentoring.mine_title')}</h2>
          {mine.length === 0 ? (
            <EmptyState>{t('mentoring.mine_none')}</EmptyState>
          ) : (
            <ul className="cards">{mine.map(card)}</ul>
          )}
        </>
      )}
    </Page>
  );
}

export function ProgrammePage() {
  const { t } = useTranslation();
  const { programmeId = '' } = useParams();
  const programme = useProgramme(programmeId);
  const [justApplied, setJustApplied] = useState(false);
  const p = programme.data;
  if (programme.isPending) return <Loading />;
  if (!p) return <ErrorNote error={programme.error} />;
  const pairTime = p.applied && (p.phase === 'matching' || p.phase === 'running');
  return (
    <Page title={p.title}>
      <p>
        <ProgrammePhase phase={p.phase} />
      </p>
      {p.leading && (
        <p>
          <Link className={buttonClass('secondary')} to={`/programmes/${p.id}/manage`}>
            {t('mentoring.manage')}
          </Link>
        </p>
      )}
      <ProgrammeFacts programme={p} />
      {pairTime && (
        <p>
          <Link className={buttonClass()} to={`/programmes/${p.id}/pair`}>
            {t('mentoring.open_pair')}
          </Link>
        </p>
      )}
      {p.applied && <Applied programme={p} justApplied={justApplied} />}
      {!p.applied && !p.leading && p.phase === 'applications' && (
        <ApplyForm programme={p} onDone={() => setJustApplied(true)} />
      )}
      {!p.applied && !p.leading && p.phase !== 'applications' && (
        <p>{t('mentoring.applications_closed')}</p>
      )}
    </Page>
  );
}

export function NewProgrammePage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  return (
    <Page title={t('mentoring.create')}>
      <p className="lead">{t('mentoring.create_intro')}</p>
      <ProgrammeForm onDone={(saved) => void navigate(`/programmes/${saved.id}/manage`)} />
    </Page>
  );
}

export function MyPairPage() {
  const { t } = useTranslation();
  const { programmeId = '' } = useParams();
  const programme = useProgramme(programmeId);
  const pair = useMyPair(programmeId);
  return (
    <Page title={t('mentoring.pair.title', { title: programme.data?.title ?? '' })}>
      <p>
        <Link to={`/programmes/${programmeId}`}>{t('mentoring.back_to_programme')}</Link>
      </p>
      {pair.isPending && <Loading />}
      <ErrorNote error={pair.error ?? programme.error} />
      {pair.data === null && <p>{t('mentoring.pair.none')}</p>}
      {pair.data && (
        <PairView
          programmeId={programmeId}
          pair={pair.data}
          closed={programme.data?.phase === 'closed'}
        />
      )}
      {pair.data && <FeedbackPanel programmeId={programmeId} />}
    </Page>
  );
}

export function ManageProgrammePage() {
  const { t } = useTranslation();
  const { programmeId = '' } = useParams();
  const toast = useToast();
  const programme = useProgramme(programmeId);
  const p = programme.data;
  // The form remounts on a new revision, so that it starts from what was saved.
  const formKey = isLeadView(p) ? p.revision : 0;
  if (programme.isPending) return <Loading />;
  if (!p) return <ErrorNote error={programme.error} />;
  if (!isLeadView(p)) {
    return (
      <Page title={p.title}>
        <p className="error">{t('mentoring.leads_only')}</p>
      </Page>
    );
  }
  const matchingOpen = p.phase !== 'draft' && p.phase !== 'applications';
  return (
    <Page title={t('mentoring.manage_title', { title: p.title })}>
      <p>
        <ProgrammePhase phase={p.phase} />{' '}
        <Link to={`/programmes/${p.id}`}>{t('mentoring.see_as_employee')}</Link>
      </p>
      <p className="muted">
        {t('mentoring.counts', {
          mentors: p.mentor_applications,
          mentees: p.mentee_applications,
          accepted: p.accepted_mentors,
        })}
      </p>
      <PhaseControl programme={p} />
      <FeedbackResults programme={p} />
      <Tabs
        label={t('mentoring.manage_tabs')}
        defaultValue={
          matchingOpen ? 'matching' : p.phase === 'applications' ? 'mentors' : 'programme'
        }
        tabs={[
          {
            id: 'programme',
            label: t('mentoring.tab.programme'),
            content: (
              <ProgrammeForm
                key={formKey}
                programme={p}
                onDone={() => toast(t('mentoring.form.saved'))}
              />
            ),
          },
          { id: 'leads', label: t('mentoring.tab.leads'), content: <Leads programmeId={p.id} /> },
          {
            id: 'mentors',
            label: t('mentoring.tab.mentors'),
            content: <MentorSelection programme={p} />,
          },
          {
            id: 'matching',
            label: t('mentoring.tab.matching'),
            content: <MatchingBoard programme={p} />,
          },
          ...(matchingOpen
            ? [{ id: 'pool', label: t('mentoring.tab.pool'), content: <Pool programmeId={p.id} /> }]
            : []),
          ...(p.phase === 'running' || p.phase === 'closed'
            ? [
                {
                  id: 'progress',
                  label: t('mentoring.tab.progress'),
                  content: <Progress programmeId={p.id} />,
                },
              ]
            : []),
        ]}
      />
    </Page>
  );
}
