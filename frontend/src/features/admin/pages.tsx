import { useTranslation } from 'react-i18next';
import { Page } from '../../components/ui';
import { Accounts } from './components/Accounts';
import { Import } from './components/Import';
import { Invite } from './components/Invite';
import { Keys } from './components/Keys';

export function AdminPage() {
  const { t } = useTranslation();
  return (
    <Page title={t('admin.title')}>
      <Invite />
      <Import />
      <Accounts />
      <Keys />
    </Page>
  );
}
