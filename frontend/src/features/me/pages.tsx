import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { api, setCsrfToken, unwrap, type Schemas } from '../../api/client';
import { useLabels } from '../../components/labels';
import { Table, type Column } from '../../components/Table';
import { useToast } from '../../components/Toast';
import { useLinkCode } from '../../components/linkCode';
import { ProfileFields, profileBody, type ProfileDraft } from '../../components/ProfileFields';
import { PasswordField } from '../../components/credentialFields';
import { ErrorNote, Form, Loading, Page } from '../../components/ui';
import i18n, { setLanguage, type Language } from '../../i18n';
import { meKeys, useAudit, useMe, useRecord } from './api';
import { CalendarLink } from './components/CalendarLink';
import { MeNav } from './components/MeNav';
import { Button } from '../../components/Button';
import { SsoLink } from '../auth/components/SsoLink';

export function ProfilePage() {
  const { t } = useTranslation();
  const me = useMe();
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<ProfileDraft | null>(null);
  // The form starts from the saved profile once it has loaded (set while rendering, not in an effect).
  if (me.data && draft === null) setDraft({ ...me.data, language: me.data.language as Language });
  const [currentPassword, setCurrentPassword] = useState('');
  const toast = useToast();
  const save = useMutation({
    mutationFn: (d: ProfileDraft) =>
      unwrap(
        api.PATCH('/api/v1/me', {
          body: {
            ...profileBody(d),
            ...(currentPassword ? { current_password: currentPassword } : {}),
          },
        }),
      ),
    onSuccess: (profile) => {
      queryClient.setQueryData(meKeys.profile(), profile);
      setLanguage(profile.language as Language);
      setCurrentPassword('');
      // A new email waits for its link: the form shows the address in use meanwhile.
      setDraft((d) => (d ? { ...d, email: profile.email } : d));
      // "Saved." for a moment, in the language just chosen (a polite announcement).
      toast(i18n.t('common.saved'));
    },
  });
  if (!draft || !me.data) return <Loading />;
  // A new email needs the current password (the server refuses it otherwise).
  const emailChanged = (draft.email ?? '').trim().toLowerCase() !== me.data.email.toLowerCase();
  return (
    <Page title={t('me.profile')}>
      <MeNav />
      <p className="lead">{t('me.profile_intro')}</p>
      <p>
        {t('me.derived', {
          cohort: me.data.cohort ? t(`cohort.${me.data.cohort}`) : '—',
          band: me.data.seniority_band ? t(`band.${me.data.seniority_band}`) : '—',
        })}
      </p>
      <Form
        error={save.error}
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate(draft);
        }}
        className="narrow"
      >
        <ProfileFields draft={draft} onChange={setDraft} />
        {emailChanged && (
          <PasswordField
            label={t('me.email_password')}
            name="current_password"
            value={currentPassword}
            onChange={setCurrentPassword}
          />
        )}
        <ErrorNote error={save.error} />
        <div role="status" aria-live="polite">
          {me.data.pending_email && (
            <p className="notice">{t('me.email_pending', { email: me.data.pending_email })}</p>
          )}
        </div>
        <Button type="submit" disabled={save.isPending}>
          {t('common.save')}
        </Button>
      </Form>
      <SsoLink />
      <CalendarLink />
    </Page>
  );
}

/** The page an email-change link opens (signed in as the account that asked). */
export function ConfirmEmailPage() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const code = useLinkCode();
  const confirm = useMutation({
    mutationFn: (c: string) =>
      unwrap(api.POST('/api/v1/me/email-confirmations', { body: { code: c } })),
    onSuccess: (profile) => queryClient.setQueryData(meKeys.profile(), profile),
  });
  return (
    <Page title={t('me.email_confirm_title')}>
      <div role="status" aria-live="polite">
        {confirm.data && (
          <p className="notice">{t('me.email_confirmed', { email: confirm.data.email })}</p>
        )}
      </div>
      {!code ? (
        <p role="alert">
          {t('me.email_no_code')} <Link to="/me">{t('me.profile')}</Link>
        </p>
      ) : (
        !confirm.data && (
          <>
            <p className="lead">{t('me.email_confirm_intro')}</p>
            <ErrorNote error={confirm.error} />
            <Button disabled={confirm.isPending} onClick={() => confirm.mutate(code)}>
              {t('me.email_confirm')}
            </Button>
          </>
        )
      )}
      {confirm.data && (
        <p>
          <Link to="/me">{t('me.profile')}</Link>
        </p>
      )}
    </Page>
  );
}

export function RecordPage() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const record = useRecord();
  const labels = useLabels();
  const [password, setPassword] = useState('');
  const [confirming, setConfirming] = useState(false);
  const [remains, setRemains] = useState<string | null>(null);
  const erase = useMutation({
    mutationFn: () => unwrap(api.DELETE('/api/v1/me', { body: { password } })),
    onSuccess: (done) => {
      setRemains(done.what_remains);
      setCsrfToken(null);
    },
  });
  const recordColumns: Column<RecordItem>[] = [
    { id: 'item', header: t('me.item'), cell: (item) => recordItemName(t, item), rowHeader: true },
    { id: 'value', header: t('me.value'), cell: (item) => recordValue(t, labels, item) },
    {
      id: 'where',
      header: t('me.stored_in'),
      cell: (item) => t(`me.where.${item.stored_in.split(' ')[0]}`),
    },
    {
      id: 'encrypted',
      header: t('me.encrypted'),
      cell: (item) => (item.encrypted ? t('common.yes') : t('common.no')),
      nowrap: true,
    },
    {
      id: 'who',
      header: t('me.visible_to'),
      cell: (item) => item.audience.map((who) => t(`me.audience.${who}`)).join(' · '),
    },
  ];
  if (remains) {
    return (
      <Page title={t('me.deleted_title')}>
        <p>{remains}</p>
        <Button
          onClick={() => {
            queryClient.clear();
            void navigate('/sign-in');
          }}
        >
          {t('common.continue')}
        </Button>
      </Page>
    );
  }
  return (
    <Page title={t('me.record')}>
      <MeNav />
      <p className="lead">{t('me.record_intro')}</p>
      {record.isPending && <Loading />}
      <ErrorNote error={record.error} />
      {record.data && (
        <Table
          caption={t('me.record_caption')}
          columns={recordColumns}
          rows={record.data.items}
          rowKey={(item) => item.key}
        />
      )}
      <h2>{t('me.export_title')}</h2>
      <p>
        <a href="/api/v1/me/export" download>
          {t('me.export')}
        </a>
      </p>
      <h2>{t('me.delete_title')}</h2>
      <p>{t('me.delete_explain')}</p>
      {!confirming ? (
        <Button variant="danger" onClick={() => setConfirming(true)}>
          {t('me.delete')}
        </Button>
      ) : (
        <Form
          error={erase.error}
          onSubmit={(e) => {
            e.preventDefault();
            erase.mutate();
          }}
          className="narrow"
        >
          <PasswordField label={t('me.delete_password')} value={password} onChange={setPassword} />
          <ErrorNote error={erase.error} />
          <Button type="submit" variant="danger" disabled={erase.isPending}>
            {t('me.delete_confirm')}
          </Button>{' '}
          <Button variant="secondary" onClick={() => setConfirming(false)}>
            {t('common.cancel')}
          </Button>
        </Form>
      )}
    </Page>
  );
}

export function AuditPage() {
  const { t, i18n } = useTranslation();
  const audit = useAudit();
  return (
    <Page title={t('me.audit')}>
      <MeNav />
      <p className="lead">{t('me.audit_intro')}</p>
      {audit.isPending && <Loading />}
      <ErrorNote error={audit.error} />
      {audit.data && audit.data.entries.length === 0 && <p>{t('me.audit_none')}</p>}
      <ul>
        {audit.data?.entries.map((entry, i) => (
          <li key={i}>
            {auditWhat(t, entry.action, entry.actor_role)} —{' '}
            {t('me.audit_times', { count: entry.count, day: formatDay(entry.day, i18n.language) })}
          </li>
        ))}
      </ul>
    </Page>
  );
}

type RecordItem = Schemas['RecordItem'];
type Translate = (key: string, options?: Record<string, unknown>) => string;

/** What an item of the record is, in plain words (the API's `key`; its English `item` is for
 * developers). An item this page does not know yet keeps the API's words. */
function recordItemName(t: Translate, item: RecordItem): string {
  const key = `me.record_items.${item.key}`;
  return i18n.exists(key) ? t(key) : item.item;
}

function recordValue(t: Translate, labels: ReturnType<typeof useLabels>, item: RecordItem) {
  const codes = item.codes ?? [];
  switch (item.key) {
    case 'roles':
      return codes.map((role) => t(`roles.${role ?? ''}`)).join(', ');
    case 'language':
      return codes[0] ? t(`languages.${codes[0]}`) : '—';
    case 'declared_cohort':
      return item.value ? labels.cohort(item.value) : '—';
    case 'challenge_attributes':
      return `${labels.cohort(codes[0])}, ${labels.band(codes[1])}`;
    case 'pseudonyms':
      return t('me.record_count', { count: item.count ?? 0 });
    case 'lesson_notes':
      return t('me.record_notes_count', { count: item.count ?? 0 });
    case 'quiz_attempts':
      return t('me.record_attempts_count', { count: item.count ?? 0 });
    default:
      return item.value ?? '—';
  }
}

/** The kinds of read the vault logs, said in plain words (never the raw code). */
const AUDIT_KINDS = [
  'list_accounts',
  'search_accounts',
  'update_account',
  'read_profile',
  'list_challenge_facilitators',
  'sign_team_feedback',
  'sign_lesson',
  'export',
  'sso_sign_in',
  'sso_link',
];

function auditWhat(
  t: (key: string, options?: Record<string, unknown>) => string,
  action: string,
  role: string,
): string {
  const kind = AUDIT_KINDS.includes(action) ? action : 'other';
  return t(`me.audit_what.${kind}`, { role: t(`roles.${role}`) });
}

/** A day as the server logs it ("2026-12-05", UTC), written out in the reader's language. */
function formatDay(day: string, language: string): string {
  return new Intl.DateTimeFormat(language, { dateStyle: 'long', timeZone: 'UTC' }).format(
    new Date(`${day}T00:00:00Z`),
  );
}
