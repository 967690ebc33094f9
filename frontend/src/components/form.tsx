// Forms whose fields show the server's refusals in the reader's language, marked for screen
// readers. `<Form error={...}>` holds the last failure; each `<Field name="...">` inside it
// finds its own error (aria-invalid, aria-describedby -> the sentence); `<ErrorNote>` lists
// them with links to the fields; after a refusal, focus moves to the first invalid field.
import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useId,
  useMemo,
  useRef,
  useState,
  type FormHTMLAttributes,
  type ReactNode,
} from 'react';
import { useTranslation } from 'react-i18next';
import type { FieldError } from '../api/client';
import { errorPath, fieldErrorText, fieldErrorsOf, fieldForPath } from '../api/fieldErrors';

interface Registered {
  id: string;
  label: string;
}

interface FormErrors {
  errors: FieldError[];
  fields: Record<string, Registered>;
  register: (name: string, field: Registered) => () => void;
}

const FormErrorsContext = createContext<FormErrors | null>(null);

type FormProps = FormHTMLAttributes<HTMLFormElement> & {
  /** The last failure of the form's request (an ApiError, or anything else). */
  error: unknown;
  children: ReactNode;
};

/** A form checked by the server alone (noValidate): one set of rules, one language. */
export function Form({ error, children, ...props }: FormProps) {
  const form = useRef<HTMLFormElement>(null);
  const [fields, setFields] = useState<Record<string, Registered>>({});
  const register = useCallback((name: string, field: Registered) => {
    setFields((known) =>
      known[name]?.id === field.id && known[name].label === field.label
        ? known
        : { ...known, [name]: field },
    );
    return () =>
      setFields((known) => {
        if (known[name]?.id !== field.id) return known;
        const rest = { ...known };
        delete rest[name];
        return rest;
      });
  }, []);
  const errors = useMemo(() => fieldErrorsOf(error), [error]);
  // After a refusal, the focus goes to the first invalid field (else to the list of errors),
  // once: fields that register later (a first render) may still take it from the list.
  const focused = useRef<unknown>(null);
  useEffect(() => {
    if (errors.length === 0 || focused.current === errors) return;
    const root = form.current;
    const field = root?.querySelector<HTMLElement>('[aria-invalid="true"]');
    if (field || Object.keys(fields).length > 0) focused.current = errors;
    (field ?? root?.querySelector<HTMLElement>('.error-summary'))?.focus();
  }, [errors, fields]);
  const value = useMemo(() => ({ errors, fields, register }), [errors, fields, register]);
  return (
    <FormErrorsContext.Provider value={value}>
      <form ref={form} noValidate {...props}>
        {children}
      </form>
    </FormErrorsContext.Provider>
  );
}

/** The field of the form that answers for an error (see fieldForPath). */
function fieldOf(error: FieldError, fields: Record<string, Registered>): string | null {
  return fieldForPath(errorPath(error), Object.keys(fields));
}

interface FieldProps {
  label: string;
  hint?: string;
  /** The body field it edits: its server error is found and shown in the reader's language. */
  name?: string;
  /** An error the page decided itself (already in the reader's language). */
  error?: string;
  children: (props: {
    id: string;
    'aria-describedby'?: string;
    'aria-invalid'?: boolean;
  }) => ReactNode;
}

/** A labelled control with its hint and its error, wired for screen readers. */
export function Field({ label, hint, name, error, children }: FieldProps) {
  const id = useId();
  const { t } = useTranslation();
  const form = useContext(FormErrorsContext);
  const register = form?.register;
  useEffect(
    () => (name && register ? register(name, { id, label }) : undefined),
    [register, name, id, label],
  );
  const refused =
    name && form ? form.errors.find((e) => fieldOf(e, form.fields) === name) : undefined;
  const text = error ?? (refused ? fieldErrorText(t, refused) : undefined);
  const described = [hint ? `${id}-hint` : '', text ? `${id}-error` : ''].filter(Boolean).join(' ');
  return (
    <div className={text ? 'field field-invalid' : 'field'}>
      <label htmlFor={id}>{label}</label>
      {hint && (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {children({
        id,
        'aria-describedby': described || undefined,
        'aria-invalid': text ? true : undefined,
      })}
      {text && (
        <p className="field-error" id={`${id}-error`}>
          {text}
        </p>
      )}
    </div>
  );
}

/** "Some fields need your attention:" and each refusal, linked to its field when shown. */
export function FieldErrorSummary({ errors }: { errors: FieldError[] }) {
  const { t } = useTranslation();
  const form = useContext(FormErrorsContext);
  return (
    <div className="error error-summary" role="alert" tabIndex={-1}>
      <p>{t('field_errors.summary_intro')}</p>
      <ul>
        {errors.map((error, i) => {
          const name = form ? fieldOf(error, form.fields) : null;
          const field = name ? form?.fields[name] : undefined;
          return (
            <li key={i}>
              {field && (
                <>
                  <a
                    href={`#${field.id}`}
                    onClick={(event) => {
                      event.preventDefault();
                      document.getElementById(field.id)?.focus();
                    }}
                  >
                    {field.label}
                  </a>
                  {t('field_errors.label_separator')}
                </>
              )}
              {fieldErrorText(t, error)}
            </li>
          );
        })}
      </ul>
    </div>
  );
}
