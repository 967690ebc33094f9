import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, type Schemas } from '../../../api/client';
import { ErrorNote } from '../../../components/ui';
import { reviewBody, sendReview } from '../receipts';
import { recorded, saveTokens, type Token } from '../wallet';
import {
  checkComment,
  ConfirmSend,
  FlaggedComment,
  utf16Range,
  WarningList,
  type CommentWarning,
} from './CommentCheck';
import { Scores } from './Scores';
import { Button } from '../../../components/Button';

type Criterion = Schemas['Criterion'];

type Stage =
  | { step: 'idle' }
  | { step: 'checking' }
  | { step: 'confirm'; warnings: CommentWarning[] }
  | { step: 'sending' };

export function ReviewForm({
  submission,
  token,
  rubric,
  onDone,
}: {
  submission: Schemas['SubmissionToReview'];
  token: Token;
  rubric: Criterion[];
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const draftKey = `review-draft:${token.round_id}:${submission.id}`;
  const [scores, setScores] = useState<Record<string, number>>({});
  const [comment, setComment] = useState(() => sessionStorage.getItem(draftKey) ?? '');
  const [checked, setChecked] = useState<CommentWarning[] | null>(null);
  const [stage, setStage] = useState<Stage>({ step: 'idle' });
  const [error, setError] = useState<unknown>(null);
  const textarea = useRef<HTMLTextAreaElement>(null);
  useEffect(() => sessionStorage.setItem(draftKey, comment), [draftKey, comment]);

  /** The check, with the token; a spent token means this review was sent already. */
  async function runCheck(): Promise<CommentWarning[] | null> {
    let result;
    try {
      result = await checkComment(token, comment);
    } catch {
      setError(new ApiError({ title: 'offline', status: 0, code: 'network' }));
      return null;
    }
    if (result.ok) return result.warnings;
    if (result.code === 'token_spent') {
      await saveTokens([recorded(token)]);
      sessionStorage.removeItem(draftKey);
      onDone();
      return null;
    }
    setError(
      new ApiError({
        title: result.code,
        status: result.status,
        code: result.code,
        detail: result.detail,
      }),
    );
    return null;
  }

  async function check() {
    setError(null);
    setStage({ step: 'checking' });
    const warnings = await runCheck();
    setStage({ step: 'idle' });
    if (warnings) setChecked(warnings);
  }

  async function send() {
    setError(null);
    setStage({ step: 'sending' });
    try {
      await sendReview(token, reviewBody(token, scores, comment));
      sessionStorage.removeItem(draftKey);
      onDone();
    } catch (e) {
      setError(e);
      setStage({ step: 'idle' });
      onDone();
    }
  }

  /** Send always checks the comment first; a flagged comment needs the person's confirmation. */
  async function checkThenSend() {
    setError(null);
    setStage({ step: 'checking' });
    const warnings = await runCheck();
    if (!warnings) {
      setStage({ step: 'idle' });
      return;
    }
    setChecked(warnings);
    if (warnings.length > 0) setStage({ step: 'confirm', warnings });
    else await send();
  }

  // Back to the comment once the dialog has closed (while it is open the form is inert), with
  // the first flagged passage selected.
  const [editAt, setEditAt] = useState<CommentWarning | null>(null);
  useEffect(() => {
    const element = textarea.current;
    if (!editAt || !element) return;
    element.focus();
    element.setSelectionRange(...utf16Range(element.value, editAt));
    setEditAt(null);
  }, [editAt]);

  function edit(warnings: CommentWarning[]) {
    setStage({ step: 'idle' });
    setEditAt(warnings[0] ?? null);
  }

  const busy = stage.step !== 'idle';
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        void checkThenSend();
      }}
    >
      <Scores rubric={rubric} scores={scores} onChange={setScores} />
      <label htmlFor={`comment-${submission.id}`}>{t('review.comment')}</label>
      <p className="hint" id={`comment-hint-${submission.id}`}>
        {t('review.comment_hint')}
      </p>
      <textarea
        id={`comment-${submission.id}`}
        ref={textarea}
        aria-describedby={`comment-hint-${submission.id}`}
        rows={5}
        maxLength={5000}
        value={comment}
        onChange={(e) => {
          setComment(e.target.value);
          setChecked(null);
        }}
      />
      <Button variant="secondary" onClick={() => void check()} disabled={busy}>
        {t('review.check_comment')}
      </Button>
      <div role="status" className={`check-result ${checked?.length ? 'warning' : 'ok'}`}>
        {stage.step === 'checking' && <p className="muted">{t('review.checking')}</p>}
        {checked && stage.step !== 'confirm' && checked.length === 0 && (
          <p>{t('review.no_warnings')}</p>
        )}
        {checked && stage.step !== 'confirm' && checked.length > 0 && (
          <>
            <p>{t('review.warnings_intro')}</p>
            <FlaggedComment comment={comment} warnings={checked} />
            <WarningList warnings={checked} />
          </>
        )}
      </div>
      {stage.step === 'confirm' && (
        <ConfirmSend
          comment={comment}
          warnings={stage.warnings}
          busy={false}
          onEdit={() => edit(stage.warnings)}
          onSend={() => void send()}
        />
      )}
      <ErrorNote error={error} />
      <p className="hint">{t('review.send_hint')}</p>
      <Button type="submit" disabled={busy}>
        {stage.step === 'sending' ? t('review.sending') : t('review.send')}
      </Button>
    </form>
  );
}
