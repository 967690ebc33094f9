import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { Loading, Page } from '../../components/ui';
import { hasRole, useMe } from '../me/api';
import { Accounts } from './components/Accounts';
import { Import } from './components/Import';
import { Invite } from './components/Invite';
import { Keys } from './components/Keys';
import { Outbox } from './components/Outbox';
import { ScimTokens } from './components/ScimTokens';

export function AdminPage() {
  const { t } = useTranslation();
  const me = useMe();
  if (me.isPending) return <Loading />;
  // Someone without the role sees why, and no forms that would only fail (the API says 403).
  if (!hasRole(me.data, 'admin')) {
    return (
      <Page title={t('admin.not_allowed_title')}>
        <p className="lead">{t('admin.not_allowed')}</p>
        <p>
          <Link to="/">{t('admin.not_allowed_back')}</Link>
        </p>
      </Page>
    );
  }
  return (
    <Page title={t('admin.title')}>
      <Invite />
      <Import />
      <Accounts />
      <ScimTokens />
      <Keys />
      <Outbox />
    </Page>
  );
}
