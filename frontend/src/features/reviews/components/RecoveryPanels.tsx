// The recovery code on screen: shown once after the tokens are made, and typed in on another
// device to continue there (review tokens here; a rating token in features/ratings).
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
  type WalletScope,
} from '../recovery';
import { walletTokens, type Token, type WalletToken } from '../wallet';
import { Button } from '../../../components/Button';
import './recovery.css';

/** Encrypt the tokens under a fresh code and store the blob; the code to show, once. */
export async function storeWallet(
  challengeId: string,
  roundId: string,
  tokens: Token[],
): Promise<string> {
  const scope: WalletScope = { purpose: 'review', id: roundId };
  const code = newRecoveryCode();
  const blob = await sealWallet(code, scope, walletTokens(tokens));
  await unwrap(
    api.PUT('/api/v1/challenges/{challenge_id}/review-round/wallet', {
      params: { path: { challenge_id: challengeId } },
      body: { blob },
    }),
  );
  const text = formatCode(code);
  rememberCodeToShow(scope, text);
  return text;
}

/** The code, once, with a copy button and the person's confirmation that they saved it.
 * `explain` says what the code opens; `level` fits the heading into the page's outline; the
 * heading takes the focus unless the code appears without the person asking for it (a rating
 * token is issued as the page opens). */
export function RecoveryCodeShown({
  code,
  explain,
  onSaved,
  level = 2,
  focusHeading = true,
}: {
  code: string;
  explain: string;
  onSaved: () => void;
  level?: 2 | 3;
  focusHeading?: boolean;
}) {
  const { t } = useTranslation();
  const Heading = level === 2 ? 'h2' : 'h3';
  const heading = useRef<HTMLHeadingElement>(null);
  const [copied, setCopied] = useState<'yes' | 'no' | null>(null);
  const id = useId();
  useEffect(() => {
    if (focusHeading) heading.current?.focus();
  }, [focusHeading]);

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
      <Heading id={`${id}-title`} tabIndex={-1} ref={heading}>
        {t('review.recovery_title')}
      </Heading>
      <p>{explain}</p>
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
  async function open(code: Uint8Array) {
    const { blob } = await unwrap(
      api.GET('/api/v1/challenges/{challenge_id}/review-round/wallet', {
        params: { path: { challenge_id: challengeId } },
      }),
    );
    const tokens = await openWallet<WalletToken>(code, { purpose: 'review', id: roundId }, blob);
    await adoptRecovered(roundId, tokens);
    onRecovered();
  }
  return (
    <RecoveryCodeForm
      title={t('review.recover_title')}
      explain={t('review.recover_explain')}
      wrongCode={t('review.recover_wrong_code')}
      open={open}
    />
  );
}

/** The code typed in: `open` fetches the wallet and opens it with the code's bytes (WrongCode
 * when they do not open it). A code that cannot be one, or that does not open the wallet, is
 * said under the field; any other failure below it. */
export function RecoveryCodeForm({
  title,
  explain,
  wrongCode,
  open,
  level = 2,
}: {
  title: string;
  explain: string;
  wrongCode: string;
  open: (code: Uint8Array) => Promise<void>;
  level?: 2 | 3;
}) {
  const { t } = useTranslation();
  const Heading = level === 2 ? 'h2' : 'h3';
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
      await open(code);
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
        ? wrongCode
        : null;
  return (
    <section aria-labelledby={`${id}-title`} className="recovery">
      <Heading id={`${id}-title`}>{title}</Heading>
      <p>{explain}</p>
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
