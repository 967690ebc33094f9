// The matcher's figures as a lead reads them: each part of a pair's score as a sentence
// (translation key and its values), never the raw numbers it adds up.
import type { Schemas } from '../../api/client';

export interface Sentence {
  key: string;
  params?: Record<string, number>;
}

/** Why a pair scores as it does, strongest reason first: skills, generations, departments,
 * common time. */
export function scoreSentences(parts: Schemas['ScoreParts']): Sentence[] {
  const out: Sentence[] = [{ key: 'mentoring.score.skills', params: { count: parts.skills } }];
  out.push(
    parts.gap === 0
      ? { key: 'mentoring.score.same_generation' }
      : { key: 'mentoring.score.gap', params: { count: parts.gap } },
  );
  out.push({
    key: parts.departments_differ
      ? 'mentoring.score.departments_differ'
      : 'mentoring.score.same_department',
  });
  out.push(
    parts.shared_slots >= 3
      ? { key: 'mentoring.score.slots_three_or_more' }
      : { key: 'mentoring.score.slots', params: { count: parts.shared_slots } },
  );
  return out;
}

// Why someone is left without a pair: the engine's reasons (app/pairing/engine.py) and the
// programme's own (app/mentoring/matching.py).
const REASONS = new Set([
  'no_allowed_partner',
  'capacity_taken',
  'outscored',
  'time_limit',
  'training_not_passed',
  'generation_not_given',
  'moved_by_lead',
]);

/** The translation key of an unmatched person's reason (a reason we have no words for reads
 * as the general one). */
export function reasonKey(reason: string): string {
  return `mentoring.unmatched_reason.${REASONS.has(reason) ? reason : 'other'}`;
}
