// Loaded only when someone compares two versions: the diff library stays out of the page's
// first download.
import { diffWordsWithSpace, type ChangeObject } from 'diff';
import { useTranslation } from 'react-i18next';

interface Text {
  title: string;
  body: string;
}

function words(parts: ChangeObject<string>[], kind: 'added' | 'removed'): number {
  return parts
    .filter((p) => p[kind])
    .reduce((sum, p) => sum + p.value.split(/\s+/).filter(Boolean).length, 0);
}

function Changes({ parts }: { parts: ChangeObject<string>[] }) {
  const { t } = useTranslation();
  return (
    <>
      {parts.map((part, index) =>
        part.added ? (
          <ins key={index}>
            <span className="visually-hidden">{t('versions.added_start')}</span>
            {part.value}
            <span className="visually-hidden">{t('versions.change_end')}</span>
          </ins>
        ) : part.removed ? (
          <del key={index}>
            <span className="visually-hidden">{t('versions.removed_start')}</span>
            {part.value}
            <span className="visually-hidden">{t('versions.change_end')}</span>
          </del>
        ) : (
          <span key={index}>{part.value}</span>
        ),
      )}
    </>
  );
}

/** What changed from `before` (an earlier version) to `after` (the current one), word by word. */
export default function VersionDiff({ before, after }: { before: Text; after: Text }) {
  const { t } = useTranslation();
  const title = diffWordsWithSpace(before.title, after.title);
  const body = diffWordsWithSpace(before.body, after.body);
  const added = words(title, 'added') + words(body, 'added');
  const removed = words(title, 'removed') + words(body, 'removed');
  return (
    <div className="version-diff">
      <p className="hint">
        {added + removed === 0 ? t('versions.same') : t('versions.summary', { added, removed })}{' '}
        {t('versions.legend')}
      </p>
      <p className="diff-title">
        <Changes parts={title} />
      </p>
      <div className="diff-body">
        <Changes parts={body} />
      </div>
    </div>
  );
}
