import { useTranslation } from 'react-i18next';

export function Bars({ title, data }: { title: string; data: Record<string, number | null> }) {
  const { t } = useTranslation();
  const values = Object.values(data).filter((v): v is number => v !== null);
  const max = Math.max(1, ...values);
  return (
    <figure className="bars">
      <figcaption>{title}</figcaption>
      <table>
        <tbody>
          {Object.entries(data).map(([label, value]) => (
            <tr key={label}>
              <th scope="row">{label}</th>
              <td>
                {value === null ? (
                  <span className="suppressed">{t('facilitate.suppressed')}</span>
                ) : (
                  <svg width="160" height="14" role="img" aria-label={String(value)}>
                    <rect x="0" y="2" height="10" width={(150 * value) / max} className="bar" />
                  </svg>
                )}{' '}
                {value ?? ''}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
