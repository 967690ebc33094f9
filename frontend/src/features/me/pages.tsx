import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { ApiError, api, setCsrfToken, unwrap, type Schemas } from '../../api/client';
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
import { MailPreferences } from './components/MailPreferences';
import { MentoringRecord } from './components/MentoringRecord';
import { MeNav } from './components/MeNav';
import { Button } from '../../components/Button';
import { SsoLink } from '../auth/components/SsoLink';
import { useSignInMethods, useSsoErrorText } from '../auth/components/SsoSignIn';

export function ProfilePage() {
  const { t } = useTranslation();
  const me = useMe();
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<ProfileDraft | null>(null);
  // The form starts from the saved profile once it has loaded (set while rendering, not in an effect).
  if (me.data && draft === null) setDraft({ ...me.data, language: me.data.language as Language });
  const [currentPassword, setCurrentPassword] = useState('');
  const toast = useToast();
  // An account without a password confirms a new e-mail by signing in again at the provider,
  // which sends it back here (`#sso_reauthenticated`, `#reauth_error=CODE`). Read without
  // clearing the address: the provider link section below reads (and clears) it too.
  const ssoName = useSignInMethods().data?.sso?.name ?? '';
  const [returned] = useState(() => new URLSearchParams(window.location.hash.slice(1)));
  const reauthenticated = returned.has('sso_reauthenticated');
  const reauthError = useSsoErrorText(returned.get('reauth_error'));
  const reauth = useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/auth/oidc/reauth', { body: { then: 'email' } })),
    onSuccess: ({ location }) => window.location.assign(location),
  });
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
  const passwordless = !me.data.has_password;
  const lapsed = save.error instanceof ApiError && save.error.code === 'reauthentication_required';
  const confirmed = reauthenticated && !lapsed;
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
        {passwordless && confirmed && (
          <p className="notice" role="status">
            {t('me.email_sso_ready', { name: ssoName })}
          </p>
        )}
        {passwordless && reauthError && (
          <p className="error" role="alert">
            {reauthError}
          </p>
        )}
        {emailChanged && passwordless && !confirmed && (
          <>
            <p>{t('me.email_sso', { name: ssoName })}</p>
            <ErrorNote error={reauth.error} />
            <p>
              <Button
                variant="secondary"
                disabled={reauth.isPending}
                onClick={() => reauth.mutate()}
              >
                {t('me.email_sso_confirm', { name: ssoName })}
              </Button>
            </p>
          </>
        )}
        {emailChanged && !passwordless && (
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
      <MailPreferences />
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
  const me = useMe();
  const ssoName = useSignInMethods().data?.sso?.name ?? '';
  // An account made by single sign-on has no password: it confirms its erasure by signing in
  // again at the provider, which sends it back here with `#sso_reauthenticated` or
  // `#reauth_error=CODE` (read once, then cleared).
  const passwordless = me.data?.has_password === false;
  const [reauthenticated] = useState(() => window.location.hash === '#sso_reauthenticated');
  const reauthErrorCode = useLinkCode('reauth_error');
  const reauthError = useSsoErrorText(reauthErrorCode);
  const [password, setPassword] = useState('');
  const [confirming, setConfirming] = useState(reauthenticated || reauthErrorCode !== null);
  const [remains, setRemains] = useState<string | null>(null);
  const erase = useMutation({
    mutationFn: () => unwrap(api.DELETE('/api/v1/me', { body: passwordless ? {} : { password } })),
    onSuccess: (done) => {
      setRemains(done.what_remains);
      setCsrfToken(null);
    },
  });
  const reauth = useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/auth/oidc/reauth')),
    onSuccess: ({ location }) => window.location.assign(location),
  });
  // A confirmation that has lapsed meanwhile (a few minutes) asks for a new one.
  const lapsed =
    erase.error instanceof ApiError && erase.error.code === 'reauthentication_required';
  const needsReauth = passwordless && (!reauthenticated || lapsed);
  const recordColumns: Column<RecordItem>[] = [
    { id: 'item', header: t('me.item'), cell: (item) => recordItemName(t, item), rowHeader: true },
    { id: 'value', header: t('me.value'), cell: (item) => recordValue(t, labels, item, ssoName) },
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
      {record.data?.mentoring && <MentoringRecord programmes={record.data.mentoring} />}
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
      ) : needsReauth ? (
        <div className="narrow">
          <p>{t('me.delete_sso_explain', { name: ssoName })}</p>
          {reauthError && !lapsed && (
            <p className="error" role="alert">
              {reauthError}
            </p>
          )}
          <ErrorNote error={erase.error ?? reauth.error} />
          <p className="button-row">
            <Button variant="danger" disabled={reauth.isPending} onClick={() => reauth.mutate()}>
              {t('me.delete_sso_confirm', { name: ssoName })}
            </Button>
            <Button variant="secondary" onClick={() => setConfirming(false)}>
              {t('common.cancel')}
            </Button>
          </p>
        </div>
      ) : (
        <Form
          error={erase.error}
          onSubmit={(e) => {
            e.preventDefault();
            erase.mutate();
          }}
          className="narrow"
        >
          {passwordless ? (
            <p className="notice" role="status">
              {t('me.delete_sso_ready', { name: ssoName })}
            </p>
          ) : (
            <PasswordField
              label={t('me.delete_password')}
              value={password}
              onChange={setPassword}
            />
          )}
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

function recordValue(
  t: Translate,
  labels: ReturnType<typeof useLabels>,
  item: RecordItem,
  ssoName: string,
) {
  const codes = item.codes ?? [];
  switch (item.key) {
    case 'sso_link':
      // The provider by the name people know it by, and its address as kept.
      return ssoName
        ? t('me.record_sso_link_value', { name: ssoName, issuer: item.value ?? '' })
        : (item.value ?? '—');
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
  'scim_read',
  'scim_create',
  'scim_update',
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
  'sso_reauthentication',
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
