// Sending an anonymous rating or survey answer with a comment: the comment is checked first for
// what could point to someone (as a review's is), and a flagged one is sent only once its writer
// confirms. Shared by the star rating (RatingPanel) and the programme surveys (mentoring
// FeedbackPanel), which differ only in what they send.
import { useState, type FormEvent, type ReactElement } from 'react';
import { useTranslation } from 'react-i18next';
import { ConfirmSend, type CommentWarning } from '../reviews/components/CommentCheck';

export interface CheckedSubmit {
  comment: string;
  setComment: (comment: string) => void;
  busy: boolean;
  /** The form's onSubmit: nothing unless `ready`; checks a comment, then sends. */
  submit: (event: FormEvent) => Promise<void>;
  /** The confirmation to show while a flagged comment waits (null otherwise). */
  confirmation: ReactElement | null;
}

/**
 * `send(comment)` sends with the trimmed comment and throws on failure (the caller's hook keeps
 * the error to show); `checkComment` asks the service what in it could identify someone.
 */
export function useCheckedSubmit({
  ready,
  send,
  checkComment,
}: {
  ready: boolean;
  send: (comment: string) => Promise<void>;
  checkComment: (comment: string) => Promise<CommentWarning[]>;
}): CheckedSubmit {
  const [comment, setComment] = useState('');
  const [warnings, setWarnings] = useState<CommentWarning[] | null>(null);
  const [busy, setBusy] = useState(false);
  const trimmed = comment.trim();

  async function sendNow() {
    setBusy(true);
    try {
      await send(trimmed);
      setWarnings(null);
    } catch {
      // The caller's hook keeps the error, shown with the form.
    } finally {
      setBusy(false);
    }
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!ready) return;
    if (trimmed) {
      const found = await checkComment(trimmed);
      if (found.length) {
        setWarnings(found);
        return;
      }
    }
    await sendNow();
  }

  return {
    comment,
    setComment,
    busy,
    submit,
    confirmation: warnings && (
      <ConfirmSend
        comment={trimmed}
        warnings={warnings}
        busy={busy}
        onEdit={() => setWarnings(null)}
        onSend={() => void sendNow()}
      />
    ),
  };
}

/** The optional comment's field, the same under every rating form. */
export function CommentField({ id, checked }: { id: string; checked: CheckedSubmit }) {
  const { t } = useTranslation();
  return (
    <label className="field" htmlFor={`${id}-comment`}>
      <span>{t('rating.comment')}</span>
      <textarea
        id={`${id}-comment`}
        value={checked.comment}
        maxLength={2000}
        rows={4}
        onChange={(e) => checked.setComment(e.target.value)}
      />
    </label>
  );
}
