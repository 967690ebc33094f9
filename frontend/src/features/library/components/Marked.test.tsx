import { render } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { Marked } from './Marked';

describe('Marked', () => {
  it('renders the marks as <mark> and nothing else as markup', () => {
    const { container } = render(
      <p>
        <Marked html={'&lt;img src=x onerror=alert(1)&gt; <mark>mentor</mark> <b>bold</b>'} />
      </p>,
    );
    expect([...container.querySelectorAll('mark')].map((m) => m.textContent)).toEqual(['mentor']);
    // An escaped tag reads as text; an unescaped one other than <mark> is not obeyed either.
    expect(container.querySelector('img')).toBeNull();
    expect(container.querySelector('b')).toBeNull();
    expect(container.textContent).toBe('<img src=x onerror=alert(1)> mentor <b>bold</b>');
  });
});
