import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

export function MeNav() {
  const { t } = useTranslation();
  return (
    <nav aria-label={t('me.sections')} className="subnav">
      <Link to="/me">{t('me.profile')}</Link> · <Link to="/me/record">{t('me.record')}</Link> ·{' '}
      <Link to="/me/audit">{t('me.audit')}</Link>
    </nav>
  );
}
