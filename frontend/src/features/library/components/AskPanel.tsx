// "Ask the library": a question in, the three to five paragraphs that best answer it out, each
// quoted with a link to where it stands. Retrieval only (app/search/service.py: ask).
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { Button } from '../../../components/Button';
import { ErrorNote, Loading } from '../../../components/ui';
import { useAsk } from '../api';
import { Marked } from './Marked';

export function AskPanel() {
  const { t } = useTranslation();
  const id = useId();
  const [text, setText] = useState('');
  const [asked, setAsked] = useState<string | null>(null);
  const answer = useAsk(asked);
  return (
    <section aria-labelledby={`${id}-heading`} className="library-ask">
      <h2 id={`${id}-heading`}>{t('library.ask.title')}</h2>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (text.trim()) setAsked(text.trim());
        }}
      >
        <label htmlFor={id}>{t('library.ask.label')}</label>
        <p className="hint" id={`${id}-hint`}>
          {t('library.ask.hint')}
        </p>
        <div className="search-row">
          <input
            id={id}
            aria-describedby={`${id}-hint`}
            value={text}
            maxLength={200}
            onChange={(e) => setText(e.target.value)}
          />
          <Button type="submit">{t('library.ask.submit')}</Button>
        </div>
      </form>
      {asked !== null && answer.isPending && <Loading />}
      <ErrorNote error={answer.error} />
      <div role="status">
        {answer.data && (
          <p>
            {answer.data.passages.length === 0
              ? t('library.ask.none')
              : t('library.ask.count', { count: answer.data.passages.length })}
          </p>
        )}
      </div>
      {answer.data && answer.data.passages.length > 0 && (
        <ol className="passages">
          {answer.data.passages.map((passage) => (
            <li key={passage.link} lang={passage.language}>
              <figure>
                <blockquote>
                  <Marked html={passage.text_html} />
                </blockquote>
                <figcaption>
                  {/* To the quoted paragraph itself (#p-N), which the lesson page focuses. */}
                  <Link to={passage.link}>{passage.title}</Link>
                </figcaption>
              </figure>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
