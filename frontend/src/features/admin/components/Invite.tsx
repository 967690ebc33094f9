import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api, unwrap, type Schemas } from '../../../api/client';
import { fieldErrorText } from '../../../api/fieldErrors';
import { Button } from '../../../components/Button';
import { EmailField } from '../../../components/credentialFields';
import { useToast } from '../../../components/Toast';
import { ErrorNote, Field, Form } from '../../../components/ui';
import { LANGUAGES, type Language } from '../../../i18n';
import { adminKeys } from '../api';
import { InvitationCodes } from './Codes';
import { Select } from '../../../components/Select';

type Role = 'participant' | 'facilitator' | 'admin';
type Invitation = { display_name: string; email: string; role: Role; language: Language };

/** The admin's own page language, when it is one an account can have. */
export function uiLanguage(current: string): Language {
  const base = current.slice(0, 2) as Language;
  return LANGUAGES.includes(base) ? base : 'en';
}

export function Invite() {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const toast = useToast();
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('participant');
  // The language the invited person's pages and messages start in (they can change it).
  const [language, setLanguage] = useState<Language | null>(null);
  const chosenLanguage = language ?? uiLanguage(i18n.language);
  const invite = useMutation({
    mutationFn: (body: Invitation) =>
      unwrap(
        api.POST('/api/v1/admin/invitations', { body: body as Schemas['InvitationCreate'] }),
      ).then((created) => ({ ...created, display_name: body.display_name, email: body.email })),
    onSuccess: (created) => {
      toast(t('admin.invited_person', { name: created.display_name }));
      setName('');
      setEmail('');
      setRole('participant');
      setLanguage(null);
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
          invite.mutate({ display_name: name, email, role, language: chosenLanguage });
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
        <EmailField
          label={t('admin.invitee_email')}
          autoComplete="off"
          value={email}
          onChange={setEmail}
        />
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
        <Select
          label={t('admin.invitee_language')}
          hint={t('admin.invitee_language_hint')}
          name="language"
          value={chosenLanguage}
          onChange={(e) => setLanguage(e.target.value as Language)}
          options={LANGUAGES.map((l) => ({ value: l, label: t(`languages.${l}`) }))}
        />
        <ErrorNote error={invite.error} />
        <Button type="submit" disabled={invite.isPending}>
          {t('admin.send_invite')}
        </Button>
      </Form>
      {invite.data && <InvitationCodes invitations={[invite.data]} />}
    </section>
  );
}
