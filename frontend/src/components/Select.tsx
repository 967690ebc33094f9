import type { SelectHTMLAttributes } from 'react';
import { Field } from './form';

export interface SelectOption {
  value: string;
  label: string;
}

type SelectProps = Omit<SelectHTMLAttributes<HTMLSelectElement>, 'id'> & {
  label: string;
  hint?: string;
  /** The body field it edits, for the server's refusals (see `<Field>`). */
  name?: string;
  error?: string;
  options: readonly SelectOption[];
};

/** A labelled drop-down with its hint and error (a `<Field>` around a native `<select>`:
 * the platform's own list is the most accessible one, on phones too). */
export function Select({ label, hint, name, error, options, ...props }: SelectProps) {
  return (
    <Field label={label} hint={hint} name={name} error={error}>
      {(field) => (
        <select {...props} {...field}>
          {options.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}
