import { useTranslation } from 'react-i18next';
import { excerptAround, splitFlagged } from '../highlight';
import type { TextWarning } from '../api';

/** What the identifying-text check found in one field of the saved copy: each finding in
 * context with the flagged words marked, why it was flagged, and for a possible name the
 * proposer's "this is nobody's name". */
export function Findings({
  id,
  text,
  warnings,
  stale,
  notNames,
  onNotName,
}: {
  id: string;
  /** The field's text as saved: the offsets are into it. */
  text: string;
  warnings: readonly TextWarning[];
  /** The field was edited since: the findings are of the saved text. */
  stale: boolean;
  notNames: ReadonlySet<string>;
  onNotName: (text: string, waived: boolean) => void;
}) {
  const { t } = useTranslation();
  if (warnings.length === 0) return null;
  return (
    <div className="idea-findings" id={id}>
      <p className="field-error">
        {t('ideas.findings', { count: warnings.length })}
        {stale && <> {t('ideas.findings_stale')}</>}
      </p>
      <ul>
        {warnings.map((w, i) => {
          const cut = excerptAround(text, w);
          return (
            <li key={`${w.start}-${i}`}>
              <q>
                {splitFlagged(cut.text, [cut.span]).map((piece, n) =>
                  piece.flagged ? (
                    <mark key={n}>{piece.text}</mark>
                  ) : (
                    <span key={n}>{piece.text}</span>
                  ),
                )}
              </q>{' '}
              {t(`ideas.kind.${w.kind}`, { text: w.text })}
              {w.confirmable && (
                <label className="idea-not-name">
                  <input
                    type="checkbox"
                    checked={notNames.has(w.text)}
                    onChange={(e) => onNotName(w.text, e.target.checked)}
                  />{' '}
                  {t('ideas.not_a_name', { text: w.text })}
                </label>
              )}
            </li>
          );
        })}
      </ul>
    </div>
  );
}
