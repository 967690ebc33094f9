// A team publishing its final submission to the idea library, once the challenge is closed:
// a copy to edit, the identifying-text check, a proposal every member answers (any no is a
// veto) and the published entry.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ApiError, api, unwrap } from '../../../api/client';
import { Badge } from '../../../components/Badge';
import { Button } from '../../../components/Button';
import { ConfirmDialog } from '../../../components/ConfirmDialog';
import { useToast } from '../../../components/Toast';
import { ErrorNote, Field, Form, Loading } from '../../../components/ui';
import { entryPath, ideaKeys, useTeamIdea, type TeamIdea } from '../api';
import { Findings } from './Findings';

type CopyField = 'title' | 'summary' | 'body';
type Draft = Record<CopyField, string> & { base: number };

export function ConsentPanel({ teamId }: { teamId: string }) {
  const { t } = useTranslation();
  const idea = useTeamIdea(teamId);
  if (idea.isPending) return <Loading />;
  if (!idea.data) return <ErrorNote error={idea.error} />;
  // Before the challenge closes there is nothing to decide yet: the panel stays out of the way.
  if (idea.data.state === 'not_yet') return null;
  return (
    <section aria-labelledby="idea-consent-title" className="idea-consent">
      <h2 id="idea-consent-title">{t('ideas.consent.title')}</h2>
      {idea.data.state === 'no_final' ? (
        <p>{t('ideas.consent.no_final')}</p>
      ) : (
        <>
          <p className="hint">{t('ideas.consent.rules')}</p>
          <Consent teamId={teamId} idea={idea.data} />
        </>
      )}
    </section>
  );
}

function Consent({ teamId, idea }: { teamId: string; idea: TeamIdea }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const toast = useToast();
  const [draft, setDraft] = useState<Draft | null>(null);
  const [notNames, setNotNames] = useState<Set<string>>(new Set());
  const [vetoing, setVetoing] = useState(false);
  // Proposing or answering removes the button that was pressed: the focus goes to the sentence
  // that says what happened, which screen readers also hear.
  const [done, setDone] = useState<string | null>(null);
  const focusDone = useRef(false);
  const said = (text: string) => {
    focusDone.current = true;
    setDone(text);
  };
  // The text being typed survives a refusal; a newer copy from the server replaces it.
  if (draft === null || draft.base !== idea.version) {
    setDraft({ title: idea.title, summary: idea.summary, body: idea.body, base: idea.version });
  }
  const stored = (data: TeamIdea) => queryClient.setQueryData(ideaKeys.team(teamId), data);
  // A refusal may mean a teammate moved on (a newer copy, a proposal): read it again.
  const refresh = () => void queryClient.invalidateQueries({ queryKey: ideaKeys.team(teamId) });
  const path = { params: { path: { team_id: teamId } } };
  const save = async (): Promise<TeamIdea> => {
    const saved = await unwrap(
      api.PUT('/api/v1/teams/{team_id}/idea', {
        ...path,
        body: {
          base_version: draft?.base ?? 0,
          title: draft?.title ?? '',
          summary: draft?.summary ?? '',
          body: draft?.body ?? '',
        },
      }),
    );
    stored(saved);
    return saved;
  };
  const unsaved =
    draft !== null &&
    (draft.title !== idea.title || draft.summary !== idea.summary || draft.body !== idea.body);
  const saveOnly = useMutation({
    mutationFn: save,
    onSuccess: () => toast(t('ideas.consent.saved')),
    onError: refresh,
  });
  const propose = useMutation({
    // What the team sees is what is proposed: unsaved typing is saved first.
    mutationFn: async () => {
      const version = unsaved ? (await save()).version : idea.version;
      return unwrap(
        api.POST('/api/v1/teams/{team_id}/idea/proposal', {
          ...path,
          body: { version, not_names: [...notNames] },
        }),
      );
    },
    onSuccess: (data) => {
      stored(data);
      said(
        data.state === 'published' ? t('ideas.consent.published_now') : t('ideas.consent.proposed'),
      );
    },
    onError: (error) => {
      if (!(error instanceof ApiError && error.code === 'identifying_text')) refresh();
    },
  });
  const answer = useMutation({
    mutationFn: (agree: boolean) =>
      unwrap(
        api.POST('/api/v1/teams/{team_id}/idea/answers', {
          ...path,
          body: { proposal: idea.proposal, agree },
        }),
      ),
    onSuccess: (data, agree) => {
      stored(data);
      said(
        !agree
          ? t('ideas.consent.vetoed_by_you')
          : data.state === 'published'
            ? t('ideas.consent.published_now')
            : t('ideas.consent.agreed'),
      );
    },
    onError: refresh,
  });
  if (!draft) return null;
  const me = idea.answers.find((a) => a.is_me);
  const veto = idea.answers.find((a) => a.answer === 'no');
  const fields: { name: CopyField; label: string; hint?: string; rows?: number }[] = [
    { name: 'title', label: t('ideas.consent.field_title') },
    {
      name: 'summary',
      label: t('ideas.consent.field_summary'),
      hint: t('ideas.consent.summary_hint'),
      rows: 3,
    },
    { name: 'body', label: t('ideas.consent.field_body'), hint: t('team.markdown_hint'), rows: 12 },
  ];
  return (
    <>
      {done && (
        <p
          role="status"
          className="notice"
          tabIndex={-1}
          ref={(element) => {
            if (element && focusDone.current) {
              focusDone.current = false;
              element.focus();
            }
          }}
        >
          {done}
        </p>
      )}
      {idea.unpublished_reason && idea.state !== 'published' && (
        <p className="notice">
          {t('ideas.consent.was_unpublished', {
            reason: t(`ideas.reasons.${idea.unpublished_reason}`),
          })}
        </p>
      )}
      {idea.state === 'published' && idea.entry_id && (
        <p className="notice">
          {t('ideas.consent.is_published')}{' '}
          <Link to={entryPath(idea.entry_id)}>{t('ideas.consent.read_entry')}</Link>
        </p>
      )}
      {idea.state === 'editing' && veto && (
        <p className="notice">
          {t('ideas.consent.vetoed', { handle: veto.handle, proposal: idea.proposal })}
        </p>
      )}
      {idea.state === 'editing' ? (
        <Form
          error={propose.error ?? saveOnly.error}
          onSubmit={(e) => {
            e.preventDefault();
            setDone(null);
            propose.mutate();
          }}
        >
          <p>{t('ideas.consent.copy_hint')}</p>
          {fields.map((f) => {
            const findingsId = `idea-findings-${f.name}`;
            const warnings = idea.warnings.filter((w) => w.field === f.name);
            const hasFindings = warnings.length > 0;
            return (
              <div key={f.name}>
                <Field label={f.label} hint={f.hint} name={f.name}>
                  {(p) => {
                    // The findings under the field are part of what a screen reader hears on it.
                    const described = [p['aria-describedby'], hasFindings ? findingsId : '']
                      .filter(Boolean)
                      .join(' ');
                    const props = {
                      ...p,
                      'aria-describedby': described || undefined,
                      value: draft[f.name],
                      onChange: (e: { target: { value: string } }) =>
                        setDraft({ ...draft, [f.name]: e.target.value }),
                    };
                    return f.rows ? (
                      <textarea {...props} rows={f.rows} />
                    ) : (
                      <input {...props} required maxLength={200} />
                    );
                  }}
                </Field>
                <Findings
                  id={findingsId}
                  text={idea[f.name]}
                  warnings={warnings}
                  stale={draft[f.name] !== idea[f.name]}
                  notNames={notNames}
                  onNotName={(text, waived) => {
                    const next = new Set(notNames);
                    if (waived) next.add(text);
                    else next.delete(text);
                    setNotNames(next);
                  }}
                />
              </div>
            );
          })}
          <ErrorNote error={propose.error ?? saveOnly.error} />
          <p className="hint" id="idea-propose-hint">
            {t('ideas.consent.propose_hint')}
          </p>
          <div className="button-row">
            <Button type="submit" aria-describedby="idea-propose-hint" disabled={propose.isPending}>
              {t('ideas.consent.propose')}
            </Button>
            <Button
              variant="secondary"
              disabled={saveOnly.isPending || !unsaved}
              onClick={() => saveOnly.mutate()}
            >
              {t('ideas.consent.save')}
            </Button>
          </div>
        </Form>
      ) : (
        <article className="idea-copy">
          <h3>{idea.title}</h3>
          {idea.summary && <p className="idea-summary">{idea.summary}</p>}
          <div className="idea-body" dangerouslySetInnerHTML={{ __html: idea.body_html }} />
        </article>
      )}
      {idea.answers.length > 0 && (
        <>
          <h3>{t('ideas.consent.answers_title', { proposal: idea.proposal })}</h3>
          <ul className="idea-answers">
            {idea.answers.map((a) => (
              <li key={a.handle}>
                {a.handle}
                {a.is_me && (
                  <>
                    {' '}
                    <Badge>{t('team.you')}</Badge>
                  </>
                )}
                {': '}
                <span className={`idea-answer-${a.answer}`}>
                  {t(`ideas.consent.answer_${a.answer}`)}
                </span>
              </li>
            ))}
          </ul>
        </>
      )}
      {idea.state === 'proposed' && (
        <>
          <ErrorNote error={answer.error} />
          {me?.answer === 'pending' ? (
            <div className="button-row">
              <Button disabled={answer.isPending} onClick={() => answer.mutate(true)}>
                {t('ideas.consent.agree')}
              </Button>
              <Button variant="danger" disabled={answer.isPending} onClick={() => setVetoing(true)}>
                {t('ideas.consent.veto')}
              </Button>
            </div>
          ) : (
            <p>
              {t('ideas.consent.waiting', {
                count: idea.answers.filter((a) => a.answer === 'pending').length,
              })}
            </p>
          )}
        </>
      )}
      <ConfirmDialog
        open={vetoing}
        title={t('ideas.consent.veto_title')}
        confirmLabel={t('ideas.consent.veto_yes')}
        cancelLabel={t('common.cancel')}
        onConfirm={() => {
          setVetoing(false);
          answer.mutate(false);
        }}
        onCancel={() => setVetoing(false)}
      >
        <p>{t('ideas.consent.veto_body')}</p>
      </ConfirmDialog>
    </>
  );
}
