import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { Tabs } from './Tabs';

const TABS = [
  { id: 'one', label: 'One', content: <p>{'First panel'}</p> },
  { id: 'two', label: 'Two', content: <p>{'Second panel'}</p> },
  { id: 'three', label: 'Three', content: <p>{'Third panel'}</p> },
];

describe('Tabs', () => {
  it('is a named tablist whose first tab is selected and reachable by Tab', () => {
    render(<Tabs label="Phases" tabs={TABS} />);
    expect(screen.getByRole('tablist', { name: 'Phases' })).toBeTruthy();
    const [one, two] = screen.getAllByRole('tab') as [HTMLElement, HTMLElement];
    expect(one.getAttribute('aria-selected')).toBe('true');
    expect(two.getAttribute('aria-selected')).toBe('false');
    // Roving tabindex: the other tabs are out of the Tab order (the arrow keys reach them).
    expect(two.getAttribute('tabindex')).toBe('-1');
    const panel = screen.getByRole('tabpanel');
    expect(panel.textContent).toBe('First panel');
    expect(panel.getAttribute('aria-labelledby')).toBe(one.id);
  });

  it('moves and selects with the arrow keys, Home and End', async () => {
    render(<Tabs label="Phases" tabs={TABS} />);
    const [one, two, three] = screen.getAllByRole('tab') as [HTMLElement, HTMLElement, HTMLElement];
    const press = async (key: string, to: HTMLElement, panel: string) => {
      fireEvent.keyDown(document.activeElement ?? document.body, { key });
      await waitFor(() => expect(document.activeElement).toBe(to));
      expect(to.getAttribute('aria-selected')).toBe('true');
      expect(to.getAttribute('tabindex')).toBe('0');
      expect(screen.getByRole('tabpanel').textContent).toBe(panel);
    };
    one.focus();
    await press('ArrowRight', two, 'Second panel');
    await press('End', three, 'Third panel');
    // From the last tab, the right arrow wraps to the first, the left one back to the last.
    await press('ArrowRight', one, 'First panel');
    await press('ArrowLeft', three, 'Third panel');
    await press('Home', one, 'First panel');
  });
});
