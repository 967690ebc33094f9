import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api, unwrap, type Schemas } from '../../../api/client';
import { ErrorNote, Field, formatDate } from '../../../components/ui';

type Role = 'participant' | 'facilitator' | 'admin';

export function Invite() {
  const { t, i18n } = useTranslation();
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('participant');
  const invite = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/api/v1/admin/invitations', {
          body: { display_name: name, email, role, language: 'en' } as Schemas['InvitationCreate'],
        }),
      ),
  });
  const fieldError = (n: string) =>
    invite.error instanceof ApiError ? invite.error.fieldMessage(n) : undefined;
  return (
    <section aria-labelledby="invite-title">
      <h2 id="invite-title">{t('admin.invite')}</h2>
      <form
        className="narrow"
        onSubmit={(e) => {
          e.preventDefault();
          invite.mutate();
        }}
      >
        <Field label={t('profile.display_name')} error={fieldError('display_name')}>
          {(p) => <input {...p} required value={name} onChange={(e) => setName(e.target.value)} />}
        </Field>
        <Field label={t('profile.email')} error={fieldError('email')}>
          {(p) => (
            <input
              {...p}
              type="email"
              required
              value={email}
              onChange={(e) => setEmail(e.target.value)}
            />
          )}
        </Field>
        <Field label={t('admin.role')}>
          {(p) => (
            <select {...p} value={role} onChange={(e) => setRole(e.target.value as Role)}>
              {(['participant', 'facilitator', 'admin'] as const).map((r) => (
                <option key={r} value={r}>
                  {t(`roles.${r}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <ErrorNote error={invite.error} />
        <button type="submit" disabled={invite.isPending}>
          {t('admin.send_invite')}
        </button>
        {invite.data && (
          <p role="status" className="ok">
            {t('admin.invited', {
              code: invite.data.invitation_code,
              until: formatDate(invite.data.expires_at, i18n.language),
            })}
          </p>
        )}
      </form>
    </section>
  );
}
