// A form that opens in place of the button that opened it: the button is gone, so the focus
// moves to the form's first field rather than falling back to the page's top.
import { useEffect, useRef } from 'react';

export function useFocusFirstField<T extends HTMLElement>() {
  const container = useRef<T>(null);
  useEffect(() => {
    container.current?.querySelector<HTMLElement>('input, select, textarea')?.focus();
  }, []);
  return container;
}
