import { useTranslation } from 'react-i18next';

/** What stays anonymous and how: shown where a person joins and where they review. */
export function AnonymityExplainer() {
  const { t } = useTranslation();
  return (
    <section className="explainer" aria-labelledby="anonymity-title">
      <h2 id="anonymity-title">{t('anonymity.title')}</h2>
      <ul>
        <li>{t('anonymity.pseudonym')}</li>
        <li>{t('anonymity.vault')}</li>
        <li>{t('anonymity.tokens')}</li>
        <li>{t('anonymity.release')}</li>
      </ul>
    </section>
  );
}
