// One search box over the library: the query and the ticked facets live in the page's address
// (?q=…&level=…), so that a search can be bookmarked, shared and left with the back button.
import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { Button } from '../../../components/Button';
import { useLabels } from '../../../components/labels';
import { ErrorNote } from '../../../components/ui';
import { useSearch, type SearchQuery } from '../api';
import { LessonMeta } from './LessonMeta';
import { Marked } from './Marked';

const FACETS = ['kind', 'level', 'language', 'topic'] as const;
type Facet = (typeof FACETS)[number];

function queryOf(params: URLSearchParams): SearchQuery | null {
  const q = params.get('q')?.trim() ?? '';
  if (!q) return null;
  return {
    q,
    kind: params.getAll('kind') as SearchQuery['kind'],
    topic: params.getAll('topic'),
    level: params.getAll('level') as SearchQuery['level'],
    language: params.getAll('language') as SearchQuery['language'],
    page: Math.max(1, Number(params.get('page')) || 1),
  };
}

export function SearchPanel() {
  const { t, i18n } = useTranslation();
  const labels = useLabels();
  const [params, setParams] = useSearchParams();
  const query = queryOf(params);
  const results = useSearch(query);
  const [words, setWords] = useState(query?.q ?? '');
  const resultsHeading = useRef<HTMLHeadingElement>(null);
  const inputId = useId();
  // After a new search or page (not a facet click, which keeps the focus on its checkbox),
  // the focus goes to the results so that a screen reader starts reading there.
  const focusResults = useRef(false);
  useEffect(() => {
    if (focusResults.current && results.data && !results.isPlaceholderData) {
      resultsHeading.current?.focus();
      focusResults.current = false;
    }
  }, [results.data, results.isPlaceholderData]);

  const facetWords: Record<Facet, (value: string) => string> = {
    kind: (value) => t(`library.kind.${value}`),
    level: (value) => t(`track.${value}`),
    language: (value) => t(`languages.${value}`),
    topic: labels.skill,
  };

  function toggle(facet: Facet, value: string) {
    const next = new URLSearchParams(params);
    const chosen = next.getAll(facet);
    next.delete(facet);
    for (const v of chosen.includes(value) ? chosen.filter((c) => c !== value) : [...chosen, value])
      next.append(facet, v);
    next.delete('page');
    setParams(next, { replace: true });
  }

  function goToPage(page: number) {
    const next = new URLSearchParams(params);
    next.set('page', String(page));
    setParams(next);
    focusResults.current = true;
  }

  const data = results.data;
  const lastPage = data ? Math.max(1, Math.ceil(data.total / data.page_size)) : 1;
  // Above the server's cap, the total and every facet count are those of the first matches
  // found: lower bounds, shown as "1,000+".
  const atLeast = data?.counts_are_lower_bounds ?? false;
  const number = (n: number) => new Intl.NumberFormat(i18n.language).format(n);
  const shownCount = (n: number) =>
    atLeast ? t('library.search.count_at_least', { n: number(n) }) : n;
  return (
    <section aria-labelledby={`${inputId}-heading`} className="library-search">
      <h2 id={`${inputId}-heading`}>{t('library.search.title')}</h2>
      <form
        role="search"
        className="search-form"
        onSubmit={(e) => {
          e.preventDefault();
          const trimmed = words.trim();
          if (!trimmed) return;
          // A new search starts again from every facet and the first page.
          setParams({ q: trimmed });
          focusResults.current = true;
        }}
      >
        <label htmlFor={inputId}>{t('library.search.label')}</label>
        <p className="hint" id={`${inputId}-hint`}>
          {t('library.search.hint')}
        </p>
        <div className="search-row">
          <input
            id={inputId}
            type="search"
            aria-describedby={`${inputId}-hint`}
            value={words}
            maxLength={200}
            onChange={(e) => setWords(e.target.value)}
          />
          <Button type="submit">{t('library.search.submit')}</Button>
        </div>
      </form>
      <ErrorNote error={results.error} />
      {query && data && (
        <div className="search-results">
          <h3 tabIndex={-1} ref={resultsHeading}>
            {t('library.search.results_heading', { q: query.q })}
          </h3>
          <p role="status">
            {atLeast
              ? t('library.search.count_more', { n: number(data.total) })
              : t('library.search.count', { count: data.total })}
          </p>
          <div className="search-layout">
            <div className="facets">
              {FACETS.map((facet) => {
                const counts = data.facets[facet];
                const chosen = params.getAll(facet);
                // A ticked value stays on the list even when nothing is left to count.
                const values = [
                  ...counts,
                  ...chosen
                    .filter((v) => !counts.some((c) => c.value === v))
                    .map((value) => ({ value, count: 0 })),
                ];
                if (values.length === 0) return null;
                return (
                  <fieldset key={facet}>
                    <legend>{t(`library.search.facet.${facet}`)}</legend>
                    {values.map(({ value, count }) => (
                      <label key={value} className="check">
                        <input
                          type="checkbox"
                          checked={chosen.includes(value)}
                          onChange={() => toggle(facet, value)}
                        />{' '}
                        {t('library.search.facet_value', {
                          value: facetWords[facet](value),
                          n: count === 0 ? 0 : shownCount(count),
                        })}
                      </label>
                    ))}
                  </fieldset>
                );
              })}
            </div>
            <div>
              {data.hits.length === 0 ? (
                <p>{t('library.search.none')}</p>
              ) : (
                <ol className="search-hits">
                  {data.hits.map((hit) => (
                    <li key={`${hit.kind}-${hit.ref}`} lang={hit.language}>
                      <h4>
                        <Link to={hit.url}>
                          <Marked html={hit.title_html} />
                        </Link>
                      </h4>
                      {hit.kind === 'lesson' && (
                        <LessonMeta level={hit.level} language={hit.language} topics={hit.topics} />
                      )}
                      <p className="snippet">
                        <Marked html={hit.snippet_html} />
                      </p>
                    </li>
                  ))}
                </ol>
              )}
              {lastPage > 1 && (
                <nav aria-label={t('library.search.pages')} className="button-row">
                  {data.page > 1 && (
                    <Button variant="secondary" onClick={() => goToPage(data.page - 1)}>
                      {t('library.search.previous')}
                    </Button>
                  )}
                  <span>{t('library.search.page', { page: data.page, pages: lastPage })}</span>
                  {data.page < lastPage && (
                    <Button variant="secondary" onClick={() => goToPage(data.page + 1)}>
                      {t('library.search.next')}
                    </Button>
                  )}
                </nav>
              )}
            </div>
          </div>
        </div>
      )}
    </section>
  );
}
