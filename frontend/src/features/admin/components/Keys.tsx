import { useTranslation } from 'react-i18next';
import { ErrorNote } from '../../../components/ui';
import { useKeys } from '../api';

export function Keys() {
  const { t, i18n } = useTranslation();
  const keys = useKeys();
  if (!keys.data) return <ErrorNote error={keys.error} />;
  const epoch = keys.data.erasure_epoch;
  return (
    <section aria-labelledby="keys-title">
      <h2 id="keys-title">{t('admin.keys')}</h2>
      <p>
        {t('admin.key_status', {
          version: keys.data.current_kek_version,
          in_use: keys.data.kek_versions_in_use.join(', '),
        })}{' '}
        {keys.data.rotation_needed ? t('admin.rotation_needed') : t('admin.rotation_ok')}
      </p>
      <div className="table-scroll">
        <table>
          <caption>{t('admin.key_versions_caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('admin.key_version')}</th>
              <th scope="col">{t('admin.key_data_keys')}</th>
              <th scope="col">{t('admin.key_signing_keys')}</th>
            </tr>
          </thead>
          <tbody>
            {keys.data.kek_versions.map((v) => (
              <tr key={v.kek_version}>
                <th scope="row">
                  {v.kek_version}
                  {v.current ? ` (${t('admin.key_current')})` : ''}
                  {v.available ? '' : ` (${t('admin.key_missing')})`}
                </th>
                <td>{v.sealed.account_data_key ?? 0}</td>
                <td>{v.sealed.review_round_signing_key ?? 0}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p>
        {epoch.waiting === 0
          ? t('admin.epoch_none')
          : epoch.automatic
            ? t('admin.epoch_waiting', {
                count: epoch.waiting,
                since: new Date(epoch.waiting_since ?? '').toLocaleString(i18n.language),
              })
            : t('admin.epoch_waiting_holder', {
                count: epoch.waiting,
                since: new Date(epoch.waiting_since ?? '').toLocaleString(i18n.language),
              })}
      </p>
    </section>
  );
}
