import { useTranslation } from 'react-i18next';

/** A count the server hid. Under k it reads "fewer than k"; hidden only as the complement of
 * a small one (so that it can't be worked out from the total) it reads "hidden", with the
 * reason spelled out for screen readers and on hover: "fewer than k" would be false of it. */
export function HiddenCount({ k, complement }: { k: number; complement: boolean }) {
  const { t } = useTranslation();
  if (!complement) return <span className="suppressed">{t('insights.fewer_than', { k })}</span>;
  const why = t('insights.hidden_why', { k });
  return (
    <span className="suppressed" title={why}>
      {t('insights.hidden')}
      <span className="visually-hidden">, {why}</span>
    </span>
  );
}
