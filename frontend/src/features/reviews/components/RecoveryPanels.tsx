// The recovery code on screen: shown once after the tokens are made, and typed in on another
// device to continue there.
import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../../api/client';
import { ErrorNote } from '../../../components/ui';
import { adoptRecovered } from '../receipts';
import {
  CODE_LENGTH,
  formatCode,
  newRecoveryCode,
  openWallet,
  parseCode,
  rememberCodeToShow,
  sealWallet,
  WrongCode,
} from '../recovery';
import { walletTokens, type Token } from '../wallet';
import { Button } from '../../../components/Button';

/** Encrypt the tokens under a fresh code and store the blob; the code to show, once. */
export async function storeWallet(
  challengeId: string,
  roundId: string,
  tokens: Token[],
): Promise<string> {
  const code = newRecoveryCode();
  const blob = await sealWallet(code, roundId, walletTokens(tokens));
  await unwrap(
    api.PUT('/api/v1/challenges/{challenge_id}/review-round/wallet', {
      params: { path: { challenge_id: challengeId } },
      body: { blob },
    }),
  );
  const text = formatCode(code);
  rememberCodeToShow(roundId, text);
  return text;
}

/** The code, once, with a copy button and the person's confirmation that they saved it. */
export function RecoveryCodeShown({ code, onSaved }: { code: string; onSaved: () => void }) {
  const { t } = useTranslation();
  const heading = useRef<HTMLHeadingElement>(null);
  const [copied, setCopied] = useState<'yes' | 'no' | null>(null);
  const id = useId();
  useEffect(() => heading.current?.focus(), []);

  async function copy() {
    try {
      await navigator.clipboard.writeText(code);
      setCopied('yes');
    } catch {
      setCopied('no');
    }
  }

  return (
    <section className="recovery" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} tabIndex={-1} ref={heading}>
        {t('review.recovery_title')}
      </h2>
      <p>{t('review.recovery_explain')}</p>
      <p className="recovery-code">
        <span className="visually-hidden">{t('review.recovery_code_label')}: </span>
        <code>
          {code.split('-').map((group, i) => (
            <span key={i} className="group">
              {group}
              {/* The dash is copied with a selection, and keeps the groups apart when read. */}
              {i < code.split('-').length - 1 && <span className="dash">-</span>}
            </span>
          ))}
        </code>
      </p>
      <div className="button-row">
        <Button variant="secondary" onClick={() => void copy()}>
          {t('review.copy_code')}
        </Button>
        <Button onClick={onSaved}>{t('review.code_saved')}</Button>
      </div>
      <p role="status" className={copied === 'no' ? 'warning' : 'ok'}>
        {copied === 'yes' && t('review.copied')}
        {copied === 'no' && t('review.copy_failed')}
      </p>
    </section>
  );
}

/** Another browser of the same person: open the stored wallet with the code. */
export function RecoverWithCode({
  challengeId,
  roundId,
  onRecovered,
}: {
  challengeId: string;
  roundId: string;
  onRecovered: () => void;
}) {
  const { t } = useTranslation();
  const [typed, setTyped] = useState('');
  const [problem, setProblem] = useState<'format' | 'wrong' | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const id = useId();

  async function recover() {
    setProblem(null);
    setError(null);
    const code = parseCode(typed);
    if (!code) {
      setProblem('format');
      return;
    }
    setBusy(true);
    try {
      const { blob } = await unwrap(
        api.GET('/api/v1/challenges/{challenge_id}/review-round/wallet', {
          params: { path: { challenge_id: challengeId } },
        }),
      );
      const tokens = await openWallet(code, roundId, blob);
      await adoptRecovered(roundId, tokens);
      onRecovered();
    } catch (e) {
      if (e instanceof WrongCode) setProblem('wrong');
      else setError(e);
    } finally {
      setBusy(false);
    }
  }

  const message =
    problem === 'format'
      ? t('review.recover_bad_format', { length: CODE_LENGTH })
      : problem === 'wrong'
        ? t('review.recover_wrong_code')
        : null;
  return (
    <section aria-labelledby={`${id}-title`} className="recovery">
      <h2 id={`${id}-title`}>{t('review.recover_title')}</h2>
      <p>{t('review.recover_explain')}</p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void recover();
        }}
      >
        <div className="field">
          <label htmlFor={`${id}-code`}>{t('review.recovery_code_label')}</label>
          <p className="hint" id={`${id}-hint`}>
            {t('review.recover_hint')}
          </p>
          <input
            id={`${id}-code`}
            className="code-input"
            value={typed}
            onChange={(e) => {
              setTyped(e.target.value);
              setProblem(null);
            }}
            autoComplete="off"
            autoCapitalize="characters"
            spellCheck={false}
            aria-describedby={message ? `${id}-hint ${id}-error` : `${id}-hint`}
            aria-invalid={message ? true : undefined}
            required
          />
          {message && (
            <p className="field-error" id={`${id}-error`} role="alert">
              {message}
            </p>
          )}
        </div>
        <ErrorNote error={error} />
        <Button type="submit" disabled={busy}>
          {t('review.recover')}
        </Button>
      </form>
    </section>
  );
}
