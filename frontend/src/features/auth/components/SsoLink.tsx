// "Link my <provider> account" in My account: after it, signing in with the provider opens
// this account even if the provider knows the person under another e-mail.
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api, unwrap } from '../../../api/client';
import { Button } from '../../../components/Button';
import { useLinkCode } from '../../../components/linkCode';
import { ErrorNote } from '../../../components/ui';
import { useSignInMethods, useSsoErrorText } from './SsoSignIn';

export function SsoLink() {
  const { t } = useTranslation();
  const methods = useSignInMethods();
  const sso = methods.data?.sso;
  // Back from the provider: `/me#sso_linked` or `/me#sso_error=CODE` (read once, then cleared).
  const [justLinked] = useState(() => window.location.hash === '#sso_linked');
  const returnedError = useLinkCode('sso_error');
  const state = useQuery({
    queryKey: ['auth', 'oidc', 'link'],
    queryFn: () => unwrap(api.GET('/api/v1/auth/oidc/link')),
    enabled: !!sso,
  });
  const start = useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/auth/oidc/link')),
    onSuccess: ({ location }) => window.location.assign(location),
  });
  // The provider unreachable when starting reads like the same refusal coming back.
  const startCode =
    start.error instanceof ApiError && start.error.code.startsWith('sso_')
      ? start.error.code
      : null;
  const error = useSsoErrorText(returnedError ?? startCode);
  if (!sso) return null;
  return (
    <section aria-labelledby="sso-link">
      <h2 id="sso-link">{t('sso.link_title', { name: sso.name })}</h2>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {state.data?.linked ? (
        <p className={justLinked ? 'notice' : undefined}>{t('sso.linked', { name: sso.name })}</p>
      ) : (
        <>
          <p>{t('sso.link_intro', { name: sso.name })}</p>
          {!startCode && <ErrorNote error={start.error} />}
          <Button variant="secondary" disabled={start.isPending} onClick={() => start.mutate()}>
            {t('sso.link', { name: sso.name })}
          </Button>
        </>
      )}
    </section>
  );
}
