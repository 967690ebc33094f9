import type { ButtonHTMLAttributes } from 'react';

export type ButtonVariant = 'primary' | 'secondary' | 'danger' | 'link';
export type ButtonSize = 'md' | 'sm';

const VARIANT_CLASS: Record<ButtonVariant, string> = {
  primary: '',
  secondary: 'secondary',
  danger: 'danger',
  link: 'link-button',
};

/** The class names of a button's look, for an element that must stay a link (`<Link>`). */
export function buttonClass(
  variant: ButtonVariant = 'primary',
  size: ButtonSize = 'md',
  extra?: string,
): string {
  return ['button', VARIANT_CLASS[variant], size === 'sm' ? 'small' : '', extra ?? '']
    .filter(Boolean)
    .join(' ');
}

type ButtonProps = ButtonHTMLAttributes<HTMLButtonElement> & {
  variant?: ButtonVariant;
  size?: ButtonSize;
  ref?: React.Ref<HTMLButtonElement>;
};

/** The one button: primary (the page's main action), secondary, danger (cannot be undone) or
 * link (a quiet action inside text). `type="button"` unless said otherwise, so that a button
 * never submits a form by accident. At least 44 px tall except the link variant. */
export function Button({
  variant = 'primary',
  size = 'md',
  className,
  type = 'button',
  ...props
}: ButtonProps) {
  return <button type={type} className={buttonClass(variant, size, className)} {...props} />;
}
