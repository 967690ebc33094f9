import { useTranslation } from 'react-i18next';

/** What stays anonymous and how: shown where a person joins and where they review. In plain
 * words first; the precise terms (blind signatures, the threshold k, the encryption) in a
 * section one opens. `k`: the challenge's number of reviews needed before a team sees any. */
export function AnonymityExplainer({ k }: { k?: number }) {
  const { t } = useTranslation();
  return (
    <section className="explainer" aria-labelledby="anonymity-title">
      <h2 id="anonymity-title">{t('anonymity.title')}</h2>
      <ul>
        <li>{t('anonymity.pseudonym')}</li>
        <li>{t('anonymity.vault')}</li>
        <li>{t('anonymity.tokens')}</li>
        <li>{k ? t('anonymity.release', { k }) : t('anonymity.release_enough')}</li>
      </ul>
      <details>
        <summary>{t('anonymity.details_title')}</summary>
        <ul>
          <li>{t('anonymity.details_vault')}</li>
          <li>{t('anonymity.details_tokens')}</li>
          <li>
            {k ? t('anonymity.details_release', { k }) : t('anonymity.details_release_default')}
          </li>
        </ul>
      </details>
    </section>
  );
}
