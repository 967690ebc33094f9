// Every text exists in every language, with the same placeholders, and every plural in the
// forms that language's grammar asks for (i18next's _one/_many/_other suffixes).
import { describe, expect, it } from 'vitest';
import en from './en.json';
import es from './es.json';
import fr from './fr.json';

type Tree = { [key: string]: string | Tree };
const LOCALES: Record<string, Tree> = { en, fr, es };
const PLURAL = /_(zero|one|two|few|many|other)$/;

function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    if (typeof value === 'string') out.set(prefix + key, value);
    else for (const [k, v] of flatten(value, `${prefix}${key}.`)) out.set(k, v);
  }
  return out;
}

/** Keys without plural suffixes, each with the plural forms it has (empty: not a plural). */
function groups(texts: Map<string, string>): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const key of texts.keys()) {
    const form = PLURAL.exec(key)?.[1];
    const base = form ? key.slice(0, -form.length - 1) : key;
    const forms = out.get(base) ?? new Set<string>();
    if (form) forms.add(form);
    out.set(base, forms);
  }
  return out;
}

const variables = (text: string) =>
  [...new Set([...text.matchAll(/{{\s*([\w.]+)[^}]*}}/g)].map((m) => m[1]))].sort();

const flat = Object.fromEntries(Object.entries(LOCALES).map(([l, t]) => [l, flatten(t)]));
const english = groups(flat.en!);

describe.each(Object.keys(LOCALES))('the %s texts', (language) => {
  const texts = flat[language]!;
  const own = groups(texts);
  const categories = new Intl.PluralRules(language).resolvedOptions().pluralCategories;

  it('have every key English has, and no other', () => {
    expect([...own.keys()].filter((k) => !english.has(k))).toEqual([]);
    expect([...english.keys()].filter((k) => !own.has(k))).toEqual([]);
  });

  it("have each plural in exactly the forms the language's grammar uses", () => {
    const wrong: string[] = [];
    for (const [base, forms] of english) {
      if (forms.size === 0) continue;
      const have = [...(own.get(base) ?? [])].sort();
      const need = categories.filter((c) => c !== 'zero' || have.includes('zero')).sort();
      if (have.join() !== need.join()) wrong.push(`${base}: ${have.join()} (needs ${need})`);
    }
    expect(wrong).toEqual([]);
  });

  it('use the same placeholders as English', () => {
    const wrong: string[] = [];
    for (const [key, text] of texts) {
      const base = key.replace(PLURAL, '');
      // A plural form may leave out {{count}} ("one person"); the other form is the reference.
      const reference = flat.en!.get(key) ?? flat.en!.get(`${base}_other`);
      if (reference === undefined) continue;
      const want = variables(reference).filter((v) => v !== 'count' || !PLURAL.test(key));
      const have = variables(text).filter((v) => v !== 'count' || !PLURAL.test(key));
      if (have.join() !== want.join()) wrong.push(`${key}: ${have} (English: ${want})`);
    }
    expect(wrong).toEqual([]);
  });

  it('are all non-empty', () => {
    expect([...texts].filter(([, text]) => text.trim() === '').map(([k]) => k)).toEqual([]);
  });
});

describe('the code', () => {
  // Every literal key passed to t('…') exists in English (a dynamic key cannot be checked here).
  const sources = import.meta.glob<string>(['../**/*.tsx', '!../**/*.test.tsx'], {
    query: '?raw',
    import: 'default',
    eager: true,
  });

  it('asks only for texts that exist', () => {
    const missing: string[] = [];
    for (const [file, source] of Object.entries(sources)) {
      for (const m of source.matchAll(/\bt\(\s*'([a-z_]+(?:\.[a-z0-9_]+)+)'/g)) {
        const key = m[1]!;
        if (!english.has(key) && !english.has(key.replace(PLURAL, ''))) {
          missing.push(`${file}: ${key}`);
        }
      }
    }
    expect(Object.keys(sources).length).toBeGreaterThan(5);
    expect(missing).toEqual([]);
  });
});
