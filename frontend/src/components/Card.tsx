import type { HTMLAttributes, ReactNode } from 'react';

type CardProps = HTMLAttributes<HTMLElement> & {
  /** `li` inside a `.cards` list, `article` for something that stands on its own. */
  as?: 'div' | 'li' | 'article' | 'section';
  children: ReactNode;
};

/** A bordered surface that groups one thing (a challenge, a team, a piece of feedback). */
export function Card({ as: Element = 'div', className, children, ...props }: CardProps) {
  return (
    <Element className={className ? `card ${className}` : 'card'} {...props}>
      {children}
    </Element>
  );
}
