import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import en from '../../locales/en.json';
import type { CommentWarning } from '../reviews/components/CommentCheck';
import { CommentField, useCheckedSubmit } from './useCheckedSubmit';

beforeAll(() => {
  // jsdom may lack the modal dialog's methods: the confirmation only needs them to exist.
  HTMLDialogElement.prototype.showModal ??= function (this: HTMLDialogElement) {
    this.setAttribute('open', '');
  };
  HTMLDialogElement.prototype.close ??= function (this: HTMLDialogElement) {
    this.removeAttribute('open');
  };
});

const flagged: CommentWarning = { kind: 'name', text: 'Bob', start: 7, end: 10 };

function Form({
  send,
  checkComment,
}: {
  send: (comment: string) => Promise<void>;
  checkComment: (comment: string) => Promise<CommentWarning[]>;
}) {
  const checked = useCheckedSubmit({ ready: true, send, checkComment });
  return (
    <>
      <form onSubmit={(e) => void checked.submit(e)}>
        <CommentField id="t" checked={checked} />
        <button type="submit">Send</button>
      </form>
      {checked.confirmation}
    </>
  );
}

async function typeAndSend(comment: string) {
  fireEvent.change(screen.getByLabelText(en.rating.comment), { target: { value: comment } });
  fireEvent.click(screen.getByRole('button', { name: 'Send' }));
}

describe('useCheckedSubmit', () => {
  it('sends a comment nothing flags, trimmed, at once', async () => {
    const send = vi.fn(async () => {});
    render(<Form send={send} checkComment={async () => []} />);
    await typeAndSend('  Clear and useful.  ');
    await waitFor(() => expect(send).toHaveBeenCalledWith('Clear and useful.'));
  });

  it('holds a flagged comment until its writer confirms', async () => {
    const send = vi.fn(async () => {});
    render(<Form send={send} checkComment={async () => [flagged]} />);
    await typeAndSend('Thanks Bob');
    // Generous: the check answers at once, but a loaded machine renders slowly.
    const anyway = await screen.findByRole(
      'button',
      { name: en.review.send_anyway },
      { timeout: 5000 },
    );
    expect(send).not.toHaveBeenCalled();
    fireEvent.click(anyway);
    await waitFor(() => expect(send).toHaveBeenCalledWith('Thanks Bob'));
  });

  it('does not check an empty comment', async () => {
    const send = vi.fn(async () => {});
    const checkComment = vi.fn(async () => [flagged]);
    render(<Form send={send} checkComment={checkComment} />);
    await typeAndSend('   ');
    await waitFor(() => expect(send).toHaveBeenCalledWith(''));
    expect(checkComment).not.toHaveBeenCalled();
  });
});
