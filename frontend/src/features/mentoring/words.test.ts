import { describe, expect, it } from 'vitest';
import { reasonKey, scoreSentences } from './words';

const parts = { skills: 2, gap: 1, departments_differ: true, shared_slots: 1, score: 35 };

describe('a pair score in words', () => {
  it('says each part as a sentence, with its count and without the score', () => {
    expect(scoreSentences(parts)).toEqual([
      { key: 'mentoring.score.skills', params: { count: 2 } },
      { key: 'mentoring.score.gap', params: { count: 1 } },
      { key: 'mentoring.score.departments_differ' },
      { key: 'mentoring.score.slots', params: { count: 1 } },
    ]);
  });

  it('names a pair of one generation (mutual) and of one department', () => {
    const sentences = scoreSentences({ ...parts, gap: 0, departments_differ: false });
    expect(sentences.map((s) => s.key)).toContain('mentoring.score.same_generation');
    expect(sentences.map((s) => s.key)).toContain('mentoring.score.same_department');
  });

  it('stops counting common half days at three, as the score does', () => {
    expect(scoreSentences({ ...parts, shared_slots: 7 })[3]).toEqual({
      key: 'mentoring.score.slots_three_or_more',
    });
  });
});

describe('why someone has no pair', () => {
  it('has words for the reasons the matcher gives', () => {
    expect(reasonKey('capacity_taken')).toBe('mentoring.unmatched_reason.capacity_taken');
    expect(reasonKey('training_not_passed')).toBe('mentoring.unmatched_reason.training_not_passed');
  });

  it('reads an unknown reason as the general one, never as its code', () => {
    expect(reasonKey('something_new')).toBe('mentoring.unmatched_reason.other');
  });
});
