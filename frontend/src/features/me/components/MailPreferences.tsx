// "E-mail about activity" in My account: for each topic, mail at once, once a day or never.
// Each group is a native radio group (arrow keys move and choose, the legend names it), and a
// choice is saved as soon as it is made. Account mail (confirmation links, invitations) is
// always sent and is not offered here.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap, type Schemas } from '../../../api/client';
import { useToast } from '../../../components/Toast';
import { ErrorNote } from '../../../components/ui';

type Preferences = Schemas['MailPreferences'];
type Topic = keyof Preferences;
type Choice = Preferences[Topic];

const KEY = ['me', 'mail-preferences'] as const;
const SAVE = ['me', 'mail-preferences', 'save'] as const;
const TOPICS: Topic[] = ['team', 'submissions', 'ideas', 'phases', 'mentoring'];
const CHOICES: Choice[] = ['immediately', 'daily_digest', 'off'];

export function MailPreferences() {
  const { t } = useTranslation();
  const toast = useToast();
  const queryClient = useQueryClient();
  const preferences = useQuery({
    queryKey: KEY,
    queryFn: () => unwrap(api.GET('/api/v1/me/mail-preferences')),
  });
  // The last choice, shown in the click's own render: the query's data reaches the radios a
  // tick later, after React has put the old radio back, and a radio that does not move reads
  // as broken (a screen reader would announce the old one).
  const [chosen, setChosen] = useState<Preferences | null>(null);
  const save = useMutation({
    mutationKey: SAVE,
    // One save at a time, in the order chosen: two arrow presses make two saves, and sent
    // together the server could apply the first one last.
    scope: { id: SAVE.join('/') },
    mutationFn: ({ change }: { change: Partial<Preferences>; before: Preferences }) =>
      unwrap(api.PUT('/api/v1/me/mail-preferences', { body: change })),
    onError: (_error, { before }) => {
      queryClient.setQueryData(KEY, before);
      setChosen(null);
    },
    onSuccess: (saved) => {
      // While a later choice is still waiting its turn, the screen keeps showing it.
      if (queryClient.isMutating({ mutationKey: SAVE }) <= 1) {
        queryClient.setQueryData(KEY, saved);
        setChosen(null);
      }
      toast(t('mail_preferences.saved'));
    },
  });
  // A refusal puts the saved choices back.
  const choose = (before: Preferences, change: Partial<Preferences>) => {
    const next = { ...before, ...change };
    setChosen(next);
    void queryClient.cancelQueries({ queryKey: KEY });
    queryClient.setQueryData(KEY, next);
    save.mutate({ change, before });
  };
  const shown = chosen ?? preferences.data;
  return (
    <section aria-labelledby="mail-preferences">
      <h2 id="mail-preferences">{t('mail_preferences.title')}</h2>
      <p>{t('mail_preferences.intro')}</p>
      <ErrorNote error={preferences.error ?? save.error} />
      {shown &&
        TOPICS.map((topic) => (
          <fieldset key={topic} className="mail-preference">
            <legend>{t(`mail_preferences.topics.${topic}`)}</legend>
            {CHOICES.map((choice) => (
              <label key={choice} className="inline">
                <input
                  type="radio"
                  name={`mail-${topic}`}
                  value={choice}
                  checked={shown[topic] === choice}
                  onChange={() => choose(shown, { [topic]: choice })}
                />
                {t(`mail_preferences.choices.${choice}`)}
              </label>
            ))}
          </fieldset>
        ))}
    </section>
  );
}
