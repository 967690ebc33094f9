// Short confirmations ("Saved") that come and go, on Radix UI's Toast: each is announced
// politely by screen readers (a live region, type="background"), stays while hovered or
// focused, can be closed with its button or Escape, and F8 reaches the list.
import * as RadixToast from '@radix-ui/react-toast';
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

interface ToastMessage {
  id: number;
  text: string;
}

type Show = (text: string) => void;

const ToastContext = createContext<Show | null>(null);

let nextId = 1;

/** Around the app (App.tsx Layout): the region toasts appear in, bottom of the screen. */
export function ToastProvider({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const [toasts, setToasts] = useState<ToastMessage[]>([]);
  const show = useCallback<Show>((text) => {
    setToasts((current) => [...current.slice(-2), { id: nextId++, text }]);
  }, []);
  const remove = (id: number) => setToasts((current) => current.filter((toast) => toast.id !== id));
  return (
    <ToastContext.Provider value={show}>
      <RadixToast.Provider label={t('toast.label')} duration={6000} swipeDirection="right">
        {children}
        {toasts.map((toast) => (
          <RadixToast.Root
            key={toast.id}
            className="toast"
            type="background"
            onOpenChange={(open) => {
              if (!open) remove(toast.id);
            }}
          >
            <RadixToast.Description className="toast-text">{toast.text}</RadixToast.Description>
            <RadixToast.Close className="link-button toast-close" aria-label={t('toast.close')}>
              <span aria-hidden="true">×</span>
            </RadixToast.Close>
          </RadixToast.Root>
        ))}
        <RadixToast.Viewport className="toast-viewport" label={t('toast.region')} />
      </RadixToast.Provider>
    </ToastContext.Provider>
  );
}

/** `const toast = useToast(); toast(t('common.saved'))`. Outside a provider (a unit test of
 * a page) it does nothing. */
export function useToast(): Show {
  const show = useContext(ToastContext);
  return useMemo(() => show ?? (() => undefined), [show]);
}
