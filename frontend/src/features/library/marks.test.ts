import { describe, expect, it } from 'vitest';
import { splitMarks } from './marks';

describe('splitMarks', () => {
  it('keeps the order of plain and marked pieces', () => {
    expect(splitMarks('Le <mark>mentor</mark> et la <mark>posture</mark>.')).toEqual([
      { text: 'Le ', marked: false },
      { text: 'mentor', marked: true },
      { text: ' et la ', marked: false },
      { text: 'posture', marked: true },
      { text: '.', marked: false },
    ]);
  });

  it('decodes the escapes so that the text reads as written', () => {
    expect(splitMarks('R&amp;D &lt;b&gt; <mark>caf&#x27;é</mark>')).toEqual([
      { text: 'R&D <b> ', marked: false },
      { text: "caf'é", marked: true },
    ]);
  });

  it('turns no other tag into markup: an escaped mark tag in a document stays text', () => {
    const pieces = splitMarks('&lt;mark&gt;fake&lt;/mark&gt; <script>x</script>');
    expect(pieces).toEqual([{ text: '<mark>fake</mark> <script>x</script>', marked: false }]);
  });

  it('survives unbalanced tags', () => {
    expect(splitMarks('a</mark> b <mark>c')).toEqual([
      { text: 'a b ', marked: false },
      { text: 'c', marked: true },
    ]);
    expect(splitMarks('')).toEqual([]);
  });
});
