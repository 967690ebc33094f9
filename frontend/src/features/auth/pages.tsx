import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate } from 'react-router';
import { api, setCsrfToken, unwrap, type Schemas } from '../../api/client';
import { Button } from '../../components/Button';
import { EmailField, NewPasswordField, PasswordField } from '../../components/credentialFields';
import { useLinkCode } from '../../components/linkCode';
import { ProfileFields, profileBody, type ProfileDraft } from '../../components/ProfileFields';
import { ErrorNote, Field, Form, Page } from '../../components/ui';
import { setLanguage, type Language } from '../../i18n';
import { PasswordSignIn, SsoSignIn } from './components/SsoSignIn';

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

/** What the administrator entered for the invitation a link carries (its code is the
 * invitee's own secret), and the page switched to the language they chose for the person. */
function useInvitationPrefill(code: string | null) {
  const prefill = useQuery({
    queryKey: ['invitation-prefill', code],
    queryFn: () =>
      unwrap(
        api.POST('/api/v1/auth/sign-up/invitation', { body: { invitation_code: code ?? '' } }),
      ),
    enabled: code !== null,
    staleTime: Infinity,
    retry: false,
  });
  const language = prefill.data?.language as Language | undefined;
  useEffect(() => {
    if (language) setLanguage(language);
  }, [language]);
  return prefill;
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
      <SsoSignIn />
      <PasswordSignIn>
        <Form error={error} onSubmit={(e) => void submit(e)} className="narrow">
          <EmailField value={email} onChange={setEmail} />
          <PasswordField value={password} onChange={setPassword} />
          <ErrorNote error={error} />
          <Button type="submit" disabled={busy}>
            {t('auth.sign_in')}
          </Button>
        </Form>
        <p>
          {t('auth.no_account')} <Link to="/sign-up">{t('auth.sign_up')}</Link>
        </p>
      </PasswordSignIn>
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
  const invited = useInvitationPrefill(linkedInvitation);
  // The form starts from what the administrator entered, once it has arrived (set while
  // rendering, not in an effect); the person may still change any of it.
  const [prefilled, setPrefilled] = useState(false);
  if (invited.data && !prefilled) {
    setPrefilled(true);
    setDraft((d) => ({
      ...d,
      display_name: invited.data.display_name,
      email: invited.data.email,
      language: invited.data.language,
    }));
  }
  // Another address than the invited one waits for its own link: the person is told before
  // sending, not surprised after.
  const otherAddress =
    invited.data !== undefined &&
    (draft.email ?? '').trim().toLowerCase() !== invited.data.email.toLowerCase();
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
      {!sentTo && <SsoSignIn />}
      {!sentTo && (
        // With password sign-in turned off, single sign-on (above) is the way in.
        <PasswordSignIn>
          <p className="lead">
            {linkedInvitation ? t('auth.sign_up_invited_intro') : t('auth.sign_up_intro')}
          </p>
          <Form error={error} onSubmit={(e) => void submit(e)} className="narrow">
            <ErrorNote error={invited.error} />
            <ProfileFields
              draft={draft}
              onChange={setDraft}
              emailHint={otherAddress ? t('auth.invited_other_address') : undefined}
            />
            <NewPasswordField value={password} onChange={setPassword} />
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
            <Button type="submit" disabled={busy}>
              {t('auth.sign_up')}
            </Button>
          </Form>
        </PasswordSignIn>
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
            <PasswordField value={password} onChange={setPassword} />
            <ErrorNote error={error} />
            <Button type="submit" disabled={busy}>
              {t('auth.confirm')}
            </Button>
          </Form>
        </>
      )}
    </Page>
  );
}
