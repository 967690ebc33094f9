// Single sign-on on the sign-in page: the "Sign in with …" button, the reason a sign-in at
// the provider came back refused (`/sign-in#sso_error=CODE`), and the password form only when
// password sign-in is on.
import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../../api/client';
import { buttonClass } from '../../../components/Button';
import { useLinkCode } from '../../../components/linkCode';

/** How people sign in here (GET /api/v1/auth/methods); it changes only with a redeploy. */
export function useSignInMethods() {
  return useQuery({
    queryKey: ['auth', 'methods'],
    queryFn: () => unwrap(api.GET('/api/v1/auth/methods')),
    staleTime: Infinity,
  });
}

/** A refusal's code in plain words; a code this UI does not know reads as the generic one. */
export function useSsoErrorText(code: string | null): string | null {
  const { t, i18n } = useTranslation();
  if (!code) return null;
  const key = `sso.errors.${code}`;
  return i18n.exists(key) ? t(key) : t('sso.errors.sso_failed');
}

export function SsoSignIn() {
  const { t } = useTranslation();
  const methods = useSignInMethods();
  const error = useSsoErrorText(useLinkCode('sso_error'));
  const sso = methods.data?.sso;
  return (
    <>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {sso && (
        <p className="button-row">
          {/* A navigation, not a fetch: the provider's pages open in this tab. */}
          <a className={buttonClass('primary')} href="/api/v1/auth/oidc/login">
            {t('sso.sign_in_with', { name: sso.name })}
          </a>
        </p>
      )}
    </>
  );
}

/** Its children (the password form) unless password sign-in is turned off. */
export function PasswordSignIn({ children }: { children: ReactNode }) {
  const methods = useSignInMethods();
  return methods.data?.password === false ? null : <>{children}</>;
}
