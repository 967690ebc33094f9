import { describe, expect, it } from 'vitest';
import en from '../../locales/en.json';
import es from '../../locales/es.json';
import fr from '../../locales/fr.json';
import i18n from '../../i18n';
import { proposalCriteria, rate, teamBadges } from './quality';

// The `overall` of a proposal as app/optimiser/metrics.py writes it.
const overall = {
  objective: 131.41,
  upper_bound: 156.4444,
  ratio: 0.839981,
  violations: 1,
  teams_count: 4,
  min_team_score: 28.2,
  max_team_score: 37.6,
  skill_coverage: 0.6,
  covered_wants: 12,
  wants: 20,
  teams_with_3plus_cohorts: 0.75,
  same_department_pairs: 2,
  together_pairs_satisfied: 1,
  together_pairs: 1,
  completed: true,
};

describe('a proposal in human terms', () => {
  it('rates shares in words', () => {
    expect([1, 0.9, 0.75, 0.5, 0.1].map(rate)).toEqual([
      'excellent',
      'excellent',
      'good',
      'fair',
      'weak',
    ]);
  });

  it('gives each criterion a rating and whole numbers, never the raw scores', () => {
    const criteria = proposalCriteria(overall);
    expect(criteria.map((c) => [c.id, c.rating, c.params])).toEqual([
      ['overall', 'good', { percent: 84 }],
      ['generations', 'good', { count: 3, teams: 4 }],
      ['skills', 'fair', { count: 12, wants: 20 }],
      ['balance', 'good', { percent: 75 }],
      ['departments', 'good', { count: 2 }],
      ['together', 'excellent', { count: 1, together: 1 }],
      ['managers', 'weak', { count: 1 }],
    ]);
    for (const c of criteria) {
      for (const value of Object.values(c.params)) expect(Number.isInteger(value)).toBe(true);
    }
  });

  it('says "nobody" rather than counting zero problems', () => {
    const none = proposalCriteria({ ...overall, violations: 0, same_department_pairs: 0 });
    expect(none.filter((c) => c.sentence.endsWith('_none')).map((c) => c.id)).toEqual([
      'departments',
      'managers',
    ]);
  });

  it('leaves out what does not apply to this challenge', () => {
    const ids = proposalCriteria({ ...overall, wants: 0, together_pairs: 0, teams_count: 1 }).map(
      (c) => c.id,
    );
    expect(ids).not.toContain('skills');
    expect(ids).not.toContain('together');
    expect(ids).not.toContain('balance');
  });

  it("labels a team's strengths and weak spots", () => {
    const badges = teamBadges({
      cohorts: { gen_x: 1, millennial: 2, gen_z: 1 },
      wants: 3,
      covered_wants: 2,
      same_department_pairs: 1,
      separate_violations: 0,
      score: 31.337,
    });
    expect(badges.map((b) => [b.id, b.tone, b.params])).toEqual([
      ['generations', 'ok', { count: 3 }],
      ['skills_some', 'neutral', { count: 2, wants: 3 }],
      ['same_department', 'neutral', { count: 1 }],
    ]);
  });

  it('says every criterion, rating and label in each language, numbers included', async () => {
    const criteria = proposalCriteria({ ...overall, violations: 0, same_department_pairs: 0 });
    const badges = [
      ...teamBadges({ cohorts: { a: 1 }, wants: 2, covered_wants: 2 }),
      ...teamBadges({ cohorts: {}, wants: 2, covered_wants: 0, same_department_pairs: 2 }),
      ...teamBadges({ wants: 2, covered_wants: 1, separate_violations: 1 }),
    ];
    for (const [language, bundle] of [
      ['en', en],
      ['fr', fr],
      ['es', es],
    ] as const) {
      await i18n.changeLanguage(language);
      expect(Object.keys(bundle.formation.rating).sort()).toEqual([
        'excellent',
        'fair',
        'good',
        'weak',
      ]);
      for (const c of criteria) {
        const sentence = i18n.t(`formation.quality.${c.sentence}`, c.params);
        expect(i18n.exists(`formation.quality.${c.id}_name`)).toBe(true);
        expect(sentence).not.toContain('formation.');
        expect(sentence).not.toContain('{{');
      }
      for (const b of badges) {
        const label = i18n.t(`formation.badge.${b.id}`, b.params);
        expect(label).not.toContain('formation.');
        expect(label).not.toContain('{{');
      }
    }
    await i18n.changeLanguage('en');
  });
});
