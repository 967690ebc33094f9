// What people read in place of the codes the API speaks: generations, seniority bands, skills,
// topic tags and rubric criteria. Generations and bands are configurable (app/config.py,
// app/vault/cohorts.py), so a code without a translation is still turned into words.
import { useTranslation } from 'react-i18next';

/** "excel_pivot_tables" -> "Excel pivot tables": skills and tags are stored as slugs. */
export function humanise(slug: string): string {
  const words = slug.replace(/[_-]+/g, ' ').replace(/\s+/g, ' ').trim();
  return words ? words.charAt(0).toUpperCase() + words.slice(1) : slug;
}

/** A rubric criterion by its title, where the rubric is known; else its id in words. */
export function criterionLabel(
  rubric: readonly { id: string; title: string }[] | undefined,
  id: string,
) {
  return rubric?.find((c) => c.id === id)?.title ?? humanise(id);
}

/** The words for generations, seniority bands, skills and tags, in the page's language. */
export function useLabels() {
  const { t, i18n } = useTranslation();
  // A key that does not exist is looked up with i18n.exists first: a missing key is reported
  // as a defect (i18n.ts), and a configured generation need not have a translation.
  const known = (key: string) => (i18n.exists(key) ? t(key) : null);
  return {
    /** "gen_z" -> "Generation Z"; a configured one we have no words for is humanised. */
    cohort(code: string | null | undefined): string {
      if (!code) return t('cohort.not_given');
      return known(`cohort.${code}`) ?? humanise(code);
    },
    /** A band as app/vault/cohorts.py names it from the configured bounds: lt3, 3to9, 20plus,
     * or "all" when there are no bounds. */
    band(code: string | null | undefined): string {
      if (!code) return t('band.not_given');
      const exact = known(`band.${code}`);
      if (exact) return exact;
      let match = /^lt(\d+)$/.exec(code);
      if (match) return t('band.under', { years: Number(match[1]) });
      match = /^(\d+)to(\d+)$/.exec(code);
      if (match) return t('band.between', { from: Number(match[1]), to: Number(match[2]) });
      match = /^(\d+)plus$/.exec(code);
      if (match) return t('band.at_least', { years: Number(match[1]) });
      if (code === 'all') return t('band.all');
      return humanise(code);
    },
    skill: humanise,
    tag: humanise,
  };
}
