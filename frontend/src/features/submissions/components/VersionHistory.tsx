import { lazy, Suspense, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { type Schemas } from '../../../api/client';
import { ErrorNote, Loading, formatDate } from '../../../components/ui';
import { Button } from '../../../components/Button';
import { Badge } from '../../../components/Badge';

type Summary = Schemas['VersionSummary'];
type Detail = Schemas['VersionDetail'];

const VersionDiff = lazy(() => import('./VersionDiff'));

/**
 * The versions of a submission, newest first. Opening one shows it as it was, with a comparison
 * with the current version and whatever `actions` the page offers (restoring it, for the team).
 */
export function VersionHistory({
  history,
  current,
  shown,
  onShow,
  version,
  error,
  actions,
}: {
  history: Summary[];
  current: { version: number; title: string; body: string };
  shown: number | null;
  onShow: (version: number | null) => void;
  version: Detail | undefined;
  error: unknown;
  actions?: (version: Detail) => ReactNode;
}) {
  const { t, i18n } = useTranslation();
  const [comparing, setComparing] = useState(false);
  if (history.length === 0) return null;
  const open = version && version.version === shown ? version : undefined;
  return (
    <>
      <h3>{t('submission.history')}</h3>
      <ol className="history">
        {history.map((v) => (
          <li key={v.version}>
            <Button
              variant="link"
              aria-expanded={shown === v.version}
              aria-controls="version-shown"
              onClick={() => {
                setComparing(false);
                onShow(shown === v.version ? null : v.version);
              }}
            >
              {t('submission.version', { version: v.version })}
            </Button>{' '}
            — {v.editor_handle ?? t('team.someone_who_left')},{' '}
            {formatDate(v.created_at, i18n.language)}
            {v.version === current.version && (
              <>
                {' '}
                <Badge>{t('versions.current')}</Badge>
              </>
            )}
          </li>
        ))}
      </ol>
      <div id="version-shown" aria-live="polite">
        {shown !== null && !open && !error && <Loading />}
        <ErrorNote error={error} />
        {open && (
          <article className="version" aria-labelledby="version-shown-title">
            <h4 id="version-shown-title">
              {t('submission.version', { version: open.version })}: {open.title}
            </h4>
            <div className="button-row">
              {open.version !== current.version && (
                <Button
                  variant="secondary"
                  aria-pressed={comparing}
                  onClick={() => setComparing(!comparing)}
                >
                  {t('versions.compare', { version: current.version })}
                </Button>
              )}
              {actions?.(open)}
            </div>
            {comparing && open.version !== current.version ? (
              <Suspense fallback={<Loading />}>
                <VersionDiff before={open} after={current} />
              </Suspense>
            ) : (
              <div dangerouslySetInnerHTML={{ __html: open.body_html }} />
            )}
          </article>
        )}
      </div>
    </>
  );
}
