// The optimiser's figures (app/optimiser/metrics.py) said the way a facilitator judges a
// proposal: a word per criterion ("good") and the counts behind it, never the raw objective,
// whose scale depends on the weights and the number of people.

export type Rating = 'excellent' | 'good' | 'fair' | 'weak';

/** A share (0..1) of what was possible, in words. */
export function rate(share: number): Rating {
  if (share >= 0.9) return 'excellent';
  if (share >= 0.7) return 'good';
  if (share >= 0.4) return 'fair';
  return 'weak';
}

export interface Criterion {
  /** The sentence's key under `formation.quality.` */
  id: 'overall' | 'generations' | 'skills' | 'balance' | 'departments' | 'together' | 'managers';
  rating: Rating;
  /** The sentence's key under `formation.quality.` (a criterion with nothing to report has
   * its own sentence, "Nobody is…", rather than a count of 0). */
  sentence: string;
  /** Whole numbers the sentence names (counts, a rounded percentage). */
  params: Record<string, number>;
}

type Numbers = Record<string, unknown>;

// Criteria that count problems: none at all reads as a sentence of its own.
const NOTHING_TO_REPORT: Criterion['id'][] = ['departments', 'managers'];

/** Pairs of colleagues from one department, per team: none is best, one in two teams is still
 * good, about one per team fair. */
function departmentsRating(pairs: number, teams: number): Rating {
  const perTeam = teams > 0 ? pairs / teams : 0;
  if (perTeam === 0) return 'excellent';
  if (perTeam <= 0.5) return 'good';
  if (perTeam <= 1) return 'fair';
  return 'weak';
}

const count = (value: unknown): number => (typeof value === 'number' ? value : 0);

/** One sentence per criterion the proposal can be judged on; criteria that do not apply to
 * this challenge (no requested pairs, no skill wishes) are left out. */
export function proposalCriteria(overall: Numbers): Criterion[] {
  const teams = count(overall.teams_count);
  const criteria: Omit<Criterion, 'sentence'>[] = [];
  const ratio = overall.ratio;
  if (typeof ratio === 'number') {
    criteria.push({
      id: 'overall',
      rating: rate(ratio),
      params: { percent: Math.round(ratio * 100) },
    });
  }
  if (teams > 0) {
    const mixed = Math.round(count(overall.teams_with_3plus_cohorts) * teams);
    criteria.push({
      id: 'generations',
      rating: rate(mixed / teams),
      params: { count: mixed, teams },
    });
  }
  const wants = count(overall.wants);
  if (wants > 0) {
    const covered = count(overall.covered_wants);
    criteria.push({
      id: 'skills',
      rating: rate(covered / wants),
      params: { count: covered, wants },
    });
  }
  const weakest = count(overall.min_team_score);
  const strongest = count(overall.max_team_score);
  if (teams > 1 && strongest > 0) {
    const share = Math.max(0, weakest) / strongest;
    criteria.push({
      id: 'balance',
      rating: rate(share),
      params: { percent: Math.round(share * 100) },
    });
  }
  const sameDepartment = count(overall.same_department_pairs);
  criteria.push({
    id: 'departments',
    rating: departmentsRating(sameDepartment, teams),
    params: { count: sameDepartment },
  });
  const together = count(overall.together_pairs);
  if (together > 0) {
    const kept = count(overall.together_pairs_satisfied);
    criteria.push({
      id: 'together',
      rating: rate(kept / together),
      params: { count: kept, together },
    });
  }
  const managers = count(overall.violations);
  criteria.push({
    id: 'managers',
    rating: managers === 0 ? 'excellent' : 'weak',
    params: { count: managers },
  });
  return criteria.map((c) => ({
    ...c,
    sentence: NOTHING_TO_REPORT.includes(c.id) && c.params.count === 0 ? `${c.id}_none` : c.id,
  }));
}

export interface TeamBadge {
  /** The label's key under `formation.badge.` */
  id: 'generations' | 'skills_all' | 'skills_some' | 'skills_none' | 'same_department' | 'manager';
  tone: 'ok' | 'neutral';
  params: Record<string, number>;
}

/** A team's strengths and weak spots, as short labels. */
export function teamBadges(metrics: Numbers): TeamBadge[] {
  const badges: TeamBadge[] = [];
  const generations = Object.keys((metrics.cohorts as object | null) ?? {}).length;
  badges.push({
    id: 'generations',
    tone: generations >= 3 ? 'ok' : 'neutral',
    params: { count: generations },
  });
  const wants = count(metrics.wants);
  const covered = count(metrics.covered_wants);
  if (wants > 0) {
    const id = covered >= wants ? 'skills_all' : covered > 0 ? 'skills_some' : 'skills_none';
    badges.push({
      id,
      tone: id === 'skills_all' ? 'ok' : 'neutral',
      params: { count: covered, wants },
    });
  }
  const sameDepartment = count(metrics.same_department_pairs);
  if (sameDepartment > 0) {
    badges.push({ id: 'same_department', tone: 'neutral', params: { count: sameDepartment } });
  }
  const managers = count(metrics.separate_violations);
  if (managers > 0) badges.push({ id: 'manager', tone: 'neutral', params: { count: managers } });
  return badges;
}
