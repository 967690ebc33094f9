import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ToastProvider, useToast } from './Toast';

function SaveButton() {
  const toast = useToast();
  return (
    <button type="button" onClick={() => toast('Saved.')}>
      Save
    </button>
  );
}

function show() {
  return render(
    <ToastProvider>
      <SaveButton />
    </ToastProvider>,
  );
}

describe('Toast', () => {
  it('has a named notifications region, empty until something happens', () => {
    show();
    const region = screen.getByRole('region', { name: /Notifications/ });
    expect(region.textContent).toBe('');
  });

  it('announces its message politely and shows it', async () => {
    show();
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    // Screen readers hear it from a polite live region (not an interrupting alert).
    await waitFor(() => {
      const live = [...document.querySelectorAll('[aria-live="polite"]')];
      expect(live.some((node) => node.textContent?.includes('Saved.'))).toBe(true);
    });
    expect(document.querySelector('[aria-live="assertive"]')).toBeNull();
    expect(screen.getByRole('region', { name: /Notifications/ }).textContent).toContain('Saved.');
  });

  it('closes with its close button', async () => {
    show();
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    const close = await screen.findByRole('button', { name: 'Close this message' });
    act(() => close.click());
    await waitFor(() =>
      expect(screen.getByRole('region', { name: /Notifications/ }).textContent).toBe(''),
    );
  });

  it('does nothing outside a provider', () => {
    render(<SaveButton />);
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(document.body.textContent).toBe('Save');
  });
});
