import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate } from 'react-router';
import { api, setCsrfToken, unwrap, type Schemas } from '../../api/client';
import { useLinkCode } from '../../components/linkCode';
import { ProfileFields, profileBody, type ProfileDraft } from '../../components/ProfileFields';
import { ErrorNote, Field, Form, Page } from '../../components/ui';
import { setLanguage, type Language } from '../../i18n';

/** Where a page that needed a session sent the person from (App.tsx, SignedIn). */
function useReturnTo(): string | null {
  const location = useLocation();
  const from = (
    location.state as { from?: { pathname: string; search: string; hash: string } } | null
  )?.from;
  return from ? `${from.pathname}${from.search}${from.hash}` : null;
}

function useSignedIn() {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const returnTo = useReturnTo();
  // `welcome`: a new account; the challenge list greets it with what to do next.
  return async (session: Schemas['SessionOut'], welcome = false) => {
    setCsrfToken(session.csrf_token);
    setLanguage(session.language as Language);
    await queryClient.invalidateQueries();
    void navigate(returnTo ?? '/', welcome && !returnTo ? { state: { welcome: true } } : undefined);
  };
}

export function SignInPage() {
  const { t } = useTranslation();
  const signedIn = useSignedIn();
  const returnTo = useReturnTo();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await signedIn(await unwrap(api.POST('/api/v1/auth/sign-in', { body: { email, password } })));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Page title={t('auth.sign_in_title')}>
      <p className="lead">{returnTo ? t('auth.sign_in_to_continue') : t('auth.welcome')}</p>
      <Form error={error} onSubmit={(e) => void submit(e)} className="narrow">
        <Field label={t('profile.email')} name="email">
          {(p) => (
            <input
              {...p}
              type="email"
              autoComplete="email"
              required
              value={email}
              onChange={(e) => setEmail(e.target.value)}
            />
          )}
        </Field>
        <Field label={t('auth.password')} name="password">
          {(p) => (
            <input
              {...p}
              type="password"
              autoComplete="current-password"
              required
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
          )}
        </Field>
        <ErrorNote error={error} />
        <button type="submit" disabled={busy}>
          {t('auth.sign_in')}
        </button>
      </Form>
      <p>
        {t('auth.no_account')} <Link to="/sign-up">{t('auth.sign_up')}</Link>
      </p>
    </Page>
  );
}

export function SignUpPage() {
  const { t, i18n } = useTranslation();
  const signedIn = useSignedIn();
  const [draft, setDraft] = useState<ProfileDraft>({ language: i18n.language as Language });
  const [password, setPassword] = useState('');
  // An invitation link (`/sign-up#invitation=…`, from an administrator) fills the code in.
  const linkedInvitation = useLinkCode('invitation');
  const [invitation, setInvitation] = useState(linkedInvitation ?? '');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [sentTo, setSentTo] = useState<string | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const body = {
        ...profileBody(draft),
        display_name: draft.display_name ?? '',
        email: draft.email ?? '',
        password,
        invitation_code: invitation || null,
      } as Schemas['SignUp'];
      const answer = await unwrap(api.POST('/api/v1/auth/sign-up', { body }));
      // Open sign-up: the same answer whoever holds the address; the mailed link decides.
      if ('state' in answer) setSentTo(body.email);
      else await signedIn(answer, true);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Page title={t('auth.sign_up_title')}>
      <div role="status" aria-live="polite">
        {sentTo && (
          <div className="notice">
            <h2>{t('auth.check_inbox_title')}</h2>
            <p>{t('auth.check_inbox', { email: sentTo })}</p>
            <p className="hint">{t('auth.check_inbox_help')}</p>
          </div>
        )}
      </div>
      {!sentTo && (
        <>
          <p className="lead">
            {linkedInvitation ? t('auth.sign_up_invited_intro') : t('auth.sign_up_intro')}
          </p>
          <Form error={error} onSubmit={(e) => void submit(e)} className="narrow">
            <ProfileFields draft={draft} onChange={setDraft} />
            <Field label={t('auth.password')} hint={t('auth.password_hint')} name="password">
              {(p) => (
                <input
                  {...p}
                  type="password"
                  autoComplete="new-password"
                  required
                  minLength={12}
                  value={password}
                  onChange={(e) => setPassword(e.target.value)}
                />
              )}
            </Field>
            <Field
              label={t('auth.invitation')}
              hint={t('auth.invitation_hint')}
              name="invitation_code"
            >
              {(p) => (
                <input {...p} value={invitation} onChange={(e) => setInvitation(e.target.value)} />
              )}
            </Field>
            <ErrorNote error={error} />
            <button type="submit" disabled={busy}>
              {t('auth.sign_up')}
            </button>
          </Form>
        </>
      )}
      <p>
        {t('auth.have_account')} <Link to="/sign-in">{t('auth.sign_in')}</Link>
      </p>
    </Page>
  );
}

/** The page a sign-up link opens: the password chosen then, and the account is active. */
export function ConfirmSignUpPage() {
  const { t } = useTranslation();
  const signedIn = useSignedIn();
  const code = useLinkCode();
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!code) return;
    setBusy(true);
    setError(null);
    try {
      await signedIn(
        await unwrap(api.POST('/api/v1/auth/sign-up/confirmations', { body: { code, password } })),
        true,
      );
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Page title={t('auth.confirm_title')}>
      {!code ? (
        <p role="alert">
          {t('auth.confirm_no_code')} <Link to="/sign-up">{t('auth.sign_up')}</Link>
        </p>
      ) : (
        <>
          <p className="lead">{t('auth.confirm_intro')}</p>
          <Form error={error} onSubmit={(e) => void submit(e)} className="narrow">
            <Field label={t('auth.password')} name="password">
              {(p) => (
                <input
                  {...p}
                  type="password"
                  autoComplete="current-password"
                  required
                  value={password}
                  onChange={(e) => setPassword(e.target.value)}
                />
              )}
            </Field>
            <ErrorNote error={error} />
            <button type="submit" disabled={busy}>
              {t('auth.confirm')}
            </button>
          </Form>
        </>
      )}
    </Page>
  );
}
