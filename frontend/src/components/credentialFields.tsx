// The email and password fields every way in and every account page shares: one place decides
// their type, what the browser may autofill (a new password must never be filled with a saved
// one) and the password rule shown beside a new one.
import { useTranslation } from 'react-i18next';
import { Field } from './form';

interface TextFieldProps {
  value: string;
  onChange: (value: string) => void;
  /** The body field it edits, whose server error it shows. */
  name?: string;
  /** Defaults to the plain "Email" / "Password"; pages that speak of someone else say so. */
  label?: string;
  hint?: string;
  required?: boolean;
  /** "off" where the address is not the reader's own (an invitation, a co-facilitator). */
  autoComplete?: string;
}

export function EmailField({
  value,
  onChange,
  name = 'email',
  label,
  hint,
  required = true,
  autoComplete = 'email',
}: TextFieldProps) {
  const { t } = useTranslation();
  return (
    <Field label={label ?? t('profile.email')} hint={hint} name={name}>
      {(p) => (
        <input
          {...p}
          type="email"
          autoComplete={autoComplete}
          required={required}
          value={value}
          onChange={(e) => onChange(e.target.value)}
        />
      )}
    </Field>
  );
}

/** The password the person already has (signing in, confirming who they are). */
export function PasswordField({ value, onChange, name = 'password', label, hint }: TextFieldProps) {
  const { t } = useTranslation();
  return (
    <Field label={label ?? t('auth.password')} hint={hint} name={name}>
      {(p) => (
        <input
          {...p}
          type="password"
          autoComplete="current-password"
          required
          value={value}
          onChange={(e) => onChange(e.target.value)}
        />
      )}
    </Field>
  );
}

/** A password being chosen: the rule is written beside it, and browsers offer to generate one
 * instead of filling in a saved one. */
export function NewPasswordField({
  value,
  onChange,
  name = 'password',
  label,
  hint,
}: TextFieldProps) {
  const { t } = useTranslation();
  return (
    <Field label={label ?? t('auth.password')} hint={hint ?? t('auth.password_hint')} name={name}>
      {(p) => (
        <input
          {...p}
          type="password"
          autoComplete="new-password"
          required
          minLength={12}
          value={value}
          onChange={(e) => onChange(e.target.value)}
        />
      )}
    </Field>
  );
}
