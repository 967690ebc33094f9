import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api, unwrap, type Schemas } from '../../../api/client';
import { fieldErrorText } from '../../../api/fieldErrors';
import { ErrorNote, Field, Form } from '../../../components/ui';
import { adminKeys } from '../api';
import { InvitationCodes } from './Codes';
import { Select } from '../../../components/Select';

type Role = 'participant' | 'facilitator' | 'admin';

export function Invite() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('participant');
  const invite = useMutation({
    mutationFn: (body: { display_name: string; email: string; role: Role }) =>
      unwrap(
        api.POST('/api/v1/admin/invitations', {
          body: { ...body, language: 'en' } as Schemas['InvitationCreate'],
        }),
      ).then((created) => ({ ...created, display_name: body.display_name, email: body.email })),
    onSuccess: () => {
      setName('');
      setEmail('');
      setRole('participant');
      void queryClient.invalidateQueries({ queryKey: adminKeys.accounts() });
    },
  });
  const fieldError = (n: string) => {
    if (!(invite.error instanceof ApiError)) return undefined;
    const error = invite.error.problem.errors?.find((e) => e.field === `body.${n}`);
    return error ? fieldErrorText(t, error) : undefined;
  };
  return (
    <section aria-labelledby="invite-title">
      <h2 id="invite-title">{t('admin.invite')}</h2>
      <p className="hint">{t('admin.invite_hint')}</p>
      <Form
        error={invite.error}
        className="narrow"
        onSubmit={(e) => {
          e.preventDefault();
          invite.mutate({ display_name: name, email, role });
        }}
      >
        <Field
          label={t('admin.invitee_name')}
          name="display_name"
          error={fieldError('display_name')}
        >
          {(p) => (
            <input
              {...p}
              required
              autoComplete="off"
              value={name}
              onChange={(e) => setName(e.target.value)}
            />
          )}
        </Field>
        <Field label={t('admin.invitee_email')} name="email" error={fieldError('email')}>
          {(p) => (
            <input
              {...p}
              type="email"
              required
              autoComplete="off"
              value={email}
              onChange={(e) => setEmail(e.target.value)}
            />
          )}
        </Field>
        <Select
          label={t('admin.invitee_role')}
          name="role"
          value={role}
          onChange={(e) => setRole(e.target.value as Role)}
          options={(['participant', 'facilitator', 'admin'] as const).map((r) => ({
            value: r,
            label: t(`roles.${r}`),
          }))}
        />
        <ErrorNote error={invite.error} />
        <button type="submit" disabled={invite.isPending}>
          {t('admin.send_invite')}
        </button>
      </Form>
      {invite.data && <InvitationCodes invitations={[invite.data]} />}
    </section>
  );
}
