import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Table, type Column } from '../../../components/Table';
import { formatDate } from '../../../components/ui';
import { invitationLink, invitationsCsv } from '../api';
import { Button } from '../../../components/Button';
import { useToast } from '../../../components/Toast';

export interface Invitation {
  account_id: string;
  display_name: string;
  email: string;
  invitation_code: string;
  expires_at: string;
}

async function copy(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false; // no clipboard here (an insecure page, a refusal): the code stays on screen
  }
}

/** The invitations just made, each with its code and link: shown this once (the vault keeps
 * only a hash of each code), to copy one by one or download as a CSV file to hand out. */
export function InvitationCodes({ invitations }: { invitations: readonly Invitation[] }) {
  const { t, i18n } = useTranslation();
  const toast = useToast();
  // A failed copy shows the link to copy by hand, and stays until the next attempt.
  const [copyFailed, setCopyFailed] = useState<string | null>(null);
  const csv = useMemo(
    () => URL.createObjectURL(new Blob([invitationsCsv(invitations)], { type: 'text/csv' })),
    [invitations],
  );
  useEffect(() => () => URL.revokeObjectURL(csv), [csv]);
  const columns: Column<Invitation>[] = [
    { id: 'name', header: t('admin.invitee_name'), cell: (i) => i.display_name, rowHeader: true },
    { id: 'email', header: t('admin.invitee_email'), cell: (i) => i.email },
    {
      id: 'code',
      header: t('admin.code'),
      cell: (i) => <code>{i.invitation_code}</code>,
      nowrap: true,
    },
    {
      id: 'until',
      header: t('admin.valid_until'),
      cell: (i) => formatDate(i.expires_at, i18n.language),
    },
    {
      id: 'copy',
      header: t('admin.link'),
      cell: (i) => (
        <Button
          variant="secondary"
          aria-label={t('admin.copy_link_for', { name: i.display_name })}
          onClick={() =>
            void copy(invitationLink(i.invitation_code)).then((ok) => {
              if (ok) toast(t('admin.copied_for', { name: i.display_name }));
              setCopyFailed(
                ok ? null : t('admin.copy_failed', { link: invitationLink(i.invitation_code) }),
              );
            })
          }
        >
          {t('admin.copy_link')}
        </Button>
      ),
    },
  ];
  return (
    <div className="notice invitation-codes">
      <p>
        <strong>{t('admin.codes_once')}</strong> {t('admin.codes_how')}
      </p>
      <p className="button-row">
        <a className="button" href={csv} download="invitations.csv">
          {t('admin.download_codes')}
        </a>
      </p>
      <p role="status" aria-live="polite">
        {copyFailed}
      </p>
      <Table
        caption={t('admin.codes_caption', { count: invitations.length })}
        columns={columns}
        rows={invitations}
        rowKey={(i) => i.account_id}
      />
    </div>
  );
}
