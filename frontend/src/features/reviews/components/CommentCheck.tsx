// The identifying-text check: what in a comment could point to its author or to someone else,
// shown in the comment itself and explained in plain words, and the confirmation before a
// flagged comment is sent.
import { useEffect, useId, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { anonymousPost, type Token } from '../wallet';
import { Button } from '../../../components/Button';

export interface CommentWarning {
  kind: string;
  text: string;
  /** Positions in code points (the server counts characters, not UTF-16 units). */
  start: number;
  end: number;
}

export type CheckResult =
  | { ok: true; warnings: CommentWarning[] }
  | { ok: false; status: number; code: string; detail?: string };

/** Anonymous, with the review's token (the service accepts a check only from a token holder). */
export async function checkComment(token: Token, comment: string): Promise<CheckResult> {
  const result = await anonymousPost<{
    warnings?: CommentWarning[];
    code?: string;
    detail?: string;
  }>('/api/v1/reviews/comment-check', {
    token: {
      key_id: token.key_id,
      prepared_message: token.prepared_message,
      signature: token.signature,
    },
    submission_id: token.submission_id,
    comment,
  });
  if (result.ok) return { ok: true, warnings: result.data.warnings ?? [] };
  return {
    ok: false,
    status: result.status,
    code: result.data.code ?? 'generic',
    detail: result.data.detail,
  };
}

/** Where a warning starts and ends in UTF-16 units (what a textarea's selection counts). */
export function utf16Range(comment: string, warning: CommentWarning): [number, number] {
  const chars = Array.from(comment);
  const start = chars.slice(0, warning.start).join('').length;
  return [start, start + chars.slice(warning.start, warning.end).join('').length];
}

/** The comment with each flagged passage marked. */
export function FlaggedComment({
  comment,
  warnings,
  id,
}: {
  comment: string;
  warnings: CommentWarning[];
  id?: string;
}) {
  const { t } = useTranslation();
  const chars = Array.from(comment);
  const parts: ReactNode[] = [];
  let at = 0;
  [...warnings]
    .sort((a, b) => a.start - b.start)
    .forEach((w, i) => {
      if (w.start < at || w.end > chars.length) return;
      parts.push(chars.slice(at, w.start).join(''));
      parts.push(
        <mark key={i}>
          <span className="visually-hidden">{t('review.flagged_start')} </span>
          {chars.slice(w.start, w.end).join('')}
          <span className="visually-hidden"> {t('review.flagged_end')}</span>
        </mark>,
      );
      at = w.end;
    });
  parts.push(chars.slice(at).join(''));
  return (
    <blockquote className="flagged-comment" id={id}>
      {parts}
    </blockquote>
  );
}

/** Each warning: what kind of thing it is, the text, and why it matters. */
export function WarningList({ warnings }: { warnings: CommentWarning[] }) {
  const { t, i18n } = useTranslation();
  const known = (kind: string) => i18n.exists(`review.warning_${kind}`);
  return (
    <ul className="warning-list">
      {warnings.map((w) => (
        <li key={`${w.start}-${w.kind}`}>
          <strong>
            {known(w.kind) ? t(`review.warning_${w.kind}`) : t('review.warning_unknown')}
          </strong>
          : “{w.text}”. {known(w.kind) ? t(`review.why_${w.kind}`) : t('review.why_unknown')}
        </li>
      ))}
    </ul>
  );
}

/** Before a flagged comment is sent: a modal dialog that takes the focus (Escape: edit). */
export function ConfirmSend({
  comment,
  warnings,
  busy,
  onEdit,
  onSend,
}: {
  comment: string;
  warnings: CommentWarning[];
  busy: boolean;
  onEdit: () => void;
  onSend: () => void;
}) {
  const { t } = useTranslation();
  const dialog = useRef<HTMLDialogElement>(null);
  const edit = useRef<HTMLButtonElement>(null);
  const id = useId();
  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
    edit.current?.focus();
    return () => element?.close();
  }, []);
  return (
    <dialog
      ref={dialog}
      className="confirm-send"
      aria-labelledby={`${id}-title`}
      aria-describedby={`${id}-intro`}
      onCancel={(e) => {
        e.preventDefault();
        onEdit();
      }}
    >
      <h2 id={`${id}-title`}>{t('review.confirm_title')}</h2>
      <p id={`${id}-intro`}>{t('review.confirm_intro', { count: warnings.length })}</p>
      <FlaggedComment comment={comment} warnings={warnings} />
      <WarningList warnings={warnings} />
      <p className="hint">{t('review.confirm_hint')}</p>
      <div className="button-row">
        <Button ref={edit} onClick={onEdit}>
          {t('review.edit_comment')}
        </Button>
        <Button variant="secondary" onClick={onSend} disabled={busy}>
          {t('review.send_anyway')}
        </Button>
      </div>
    </dialog>
  );
}
