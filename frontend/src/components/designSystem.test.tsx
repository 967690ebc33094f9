// The shared components with behaviour of their own (Tabs, Toast and ConfirmDialog have their
// own files).
import { fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { Button } from './Button';
import { Select } from './Select';
import { Stat, StatList } from './Stat';
import { Loading } from './ui';

describe('Button', () => {
  it('never submits a form unless asked to', () => {
    let submitted = 0;
    render(
      <form
        onSubmit={(e) => {
          e.preventDefault();
          submitted++;
        }}
      >
        <Button variant="secondary">{'Cancel'}</Button>
        <Button type="submit">{'Send'}</Button>
      </form>,
    );
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(submitted).toBe(0);
    fireEvent.click(screen.getByRole('button', { name: 'Send' }));
    expect(submitted).toBe(1);
  });
});

describe('Select', () => {
  it('is labelled, described by its hint and error, and marked invalid', () => {
    render(
      <Select
        label="Role"
        hint="What they may do"
        error="Choose a role"
        value="b"
        onChange={() => undefined}
        options={[
          { value: 'a', label: 'Participant' },
          { value: 'b', label: 'Facilitator' },
        ]}
      />,
    );
    const select = screen.getByRole('combobox', { name: 'Role' }) as HTMLSelectElement;
    expect(select.value).toBe('b');
    expect(select.getAttribute('aria-invalid')).toBe('true');
    const described = (select.getAttribute('aria-describedby') ?? '')
      .split(' ')
      .map((id) => document.getElementById(id)?.textContent);
    expect(described).toEqual(['What they may do', 'Choose a role']);
  });
});

describe('Stat', () => {
  it('pairs each number with its label in a description list', () => {
    render(
      <StatList label="This challenge">
        <Stat label="Participants" value={25} />
      </StatList>,
    );
    expect(screen.getByRole('term').textContent).toBe('Participants');
    expect(screen.getByRole('definition').textContent).toBe('25');
  });
});

describe('Loading', () => {
  it('tells screen readers it is loading and shows placeholders to the eye only', () => {
    render(<Loading />);
    expect(screen.getByRole('status').textContent).toBe('Loading…');
    expect(screen.getByTestId('skeleton').getAttribute('aria-hidden')).toBe('true');
  });
});
