// The idea library's pages: the list of entries (featured first) and one entry, with its
// curation for the challenge's facilitators and admins.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { api, unwrap } from '../../api/client';
import { Badge } from '../../components/Badge';
import { Button } from '../../components/Button';
import { Card } from '../../components/Card';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { EmptyState } from '../../components/EmptyState';
import { Select } from '../../components/Select';
import { useToast } from '../../components/Toast';
import { useLabels } from '../../components/labels';
import { ErrorNote, Loading, Page, formatDate } from '../../components/ui';
import { SUMMARY_ANCHOR, numberParagraphs, useFocusOnFragment } from '../library/anchors';
import {
  TRACKS,
  UNPUBLISH_REASONS,
  entryPath,
  ideaKeys,
  useIdea,
  useIdeaTopics,
  useIdeas,
  type Track,
  type UnpublishReason,
} from './api';
import { IdeaMeta } from './components/IdeaMeta';
import { IdeaRatingPanel } from './components/IdeaRatingPanel';
import './ideas.css';

export const IDEAS_PATH = '/library/ideas';

export function IdeaListPage() {
  const { t } = useTranslation();
  const labels = useLabels();
  // The filters live in the address, so that a filtered list can be shared or reloaded.
  const [params, setParams] = useSearchParams();
  const trackParam = params.get('track');
  const track = TRACKS.includes(trackParam as Track) ? (trackParam as Track) : null;
  const topic = params.get('topic') || null;
  const ideas = useIdeas({ track, topic });
  const topics = useIdeaTopics();
  const setFilter = (name: 'track' | 'topic', value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(name, value);
    else next.delete(name);
    setParams(next, { replace: true });
  };
  const topicOptions = [...new Set([...(topics.data ?? []), ...(topic ? [topic] : [])])];
  const items = ideas.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <Page title={t('ideas.title')}>
      <p>{t('ideas.intro')}</p>
      <p>
        <Link to="/library">{t('ideas.back_to_library')}</Link>
      </p>
      <form
        className="idea-filters"
        aria-label={t('ideas.filters')}
        onSubmit={(e) => e.preventDefault()}
      >
        <Select
          label={t('ideas.track')}
          value={track ?? ''}
          onChange={(e) => setFilter('track', e.target.value)}
          options={[
            { value: '', label: t('ideas.any_track') },
            ...TRACKS.map((value) => ({ value, label: t(`track.${value}`) })),
          ]}
        />
        <Select
          label={t('ideas.topic')}
          value={topic ?? ''}
          onChange={(e) => setFilter('topic', e.target.value)}
          options={[
            { value: '', label: t('ideas.any_topic') },
            ...topicOptions.map((value) => ({ value, label: labels.tag(value) })),
          ]}
        />
      </form>
      {ideas.isPending ? (
        <Loading />
      ) : ideas.error ? (
        <ErrorNote error={ideas.error} />
      ) : items.length === 0 ? (
        <EmptyState>{track || topic ? t('ideas.none_filtered') : t('ideas.none')}</EmptyState>
      ) : (
        <>
          <p role="status" className="visually-hidden">
            {t('ideas.shown', { count: items.length })}
          </p>
          <ul className="cards idea-list">
            {items.map((idea) => (
              <Card as="li" key={idea.id}>
                <h2>
                  <Link to={entryPath(idea.id)}>{idea.title}</Link>
                </h2>
                {idea.featured && <Badge tone="ok">{t('ideas.featured')}</Badge>}
                {idea.summary && <p>{idea.summary}</p>}
                <IdeaMeta
                  teamName={idea.team_name}
                  challengeTitle={idea.challenge_title}
                  track={idea.track}
                  topics={idea.topics}
                />
              </Card>
            ))}
          </ul>
          {ideas.hasNextPage && (
            <div className="button-row">
              <Button
                variant="secondary"
                disabled={ideas.isFetchingNextPage}
                onClick={() => void ideas.fetchNextPage()}
              >
                {t('ideas.more')}
              </Button>
            </div>
          )}
        </>
      )}
    </Page>
  );
}

export function IdeaEntryPage() {
  const { t, i18n } = useTranslation();
  const { entryId = '' } = useParams();
  const idea = useIdea(entryId);
  // "Ask the library" links to a paragraph of an entry as to one of a lesson (`#p-N`).
  useFocusOnFragment(idea.data !== undefined);
  if (idea.isPending) return <Loading />;
  if (!idea.data) return <ErrorNote error={idea.error} />;
  const entry = idea.data;
  const [bodyHtml] = numberParagraphs([entry.body_html]);
  return (
    <Page title={entry.title}>
      <p>
        <Link to={IDEAS_PATH}>{t('ideas.back_to_list')}</Link>
      </p>
      {entry.featured && <Badge tone="ok">{t('ideas.featured')}</Badge>}
      <IdeaMeta
        teamName={entry.team_name}
        challengeTitle={entry.challenge_title}
        track={entry.track}
        topics={entry.topics}
      />
      <p className="hint">
        {t('ideas.published_on', { date: formatDate(entry.published_at, i18n.language) })}
      </p>
      {entry.summary && (
        <p className="idea-summary" id={SUMMARY_ANCHOR}>
          {entry.summary}
        </p>
      )}
      <article className="idea-body" dangerouslySetInnerHTML={{ __html: bodyHtml }} />
      <section aria-labelledby="idea-reviews">
        <h2 id="idea-reviews">{t('ideas.reviews_title')}</h2>
        {entry.reviews ? (
          <>
            <p>{t('ideas.reviews_count', { count: entry.reviews.count })}</p>
            <table className="idea-medians">
              <thead>
                <tr>
                  <th scope="col">{t('ideas.criterion')}</th>
                  <th scope="col">{t('ideas.median')}</th>
                </tr>
              </thead>
              <tbody>
                {entry.reviews.medians.map((m) => (
                  <tr key={m.criterion_id}>
                    <th scope="row">{m.title}</th>
                    <td>{m.median.toLocaleString(i18n.language)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        ) : (
          <p>{t('ideas.reviews_absent')}</p>
        )}
      </section>
      <IdeaRatingPanel entryId={entry.id} />
      {entry.can_curate && (
        <Curation entryId={entry.id} featured={entry.featured} title={entry.title} />
      )}
    </Page>
  );
}

/** Feature or unfeature the entry, and take it down when asked, with the reason. */
function Curation({
  entryId,
  featured,
  title,
}: {
  entryId: string;
  featured: boolean;
  title: string;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const toast = useToast();
  const [asking, setAsking] = useState(false);
  const [reason, setReason] = useState<UnpublishReason>('team_request');
  const path = { params: { path: { entry_id: entryId } } };
  const feature = useMutation({
    mutationFn: () =>
      unwrap(
        featured
          ? api.DELETE('/api/v1/ideas/{entry_id}/featured', path)
          : api.PUT('/api/v1/ideas/{entry_id}/featured', path),
      ),
    onSuccess: (data) => {
      queryClient.setQueryData(ideaKeys.entry(entryId), data);
      void queryClient.invalidateQueries({ queryKey: [...ideaKeys.all, 'list'] });
      toast(data.featured ? t('ideas.now_featured') : t('ideas.no_longer_featured'));
    },
  });
  const unpublish = useMutation({
    // 204: nothing comes back; unwrap still turns a refusal into an ApiError.
    mutationFn: () =>
      unwrap(api.POST('/api/v1/ideas/{entry_id}/unpublish', { ...path, body: { reason } })),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ideaKeys.all });
      toast(t('ideas.unpublished', { title }));
      void navigate(IDEAS_PATH);
    },
  });
  return (
    <section aria-labelledby="idea-curation" className="idea-curation">
      <h2 id="idea-curation">{t('ideas.curation_title')}</h2>
      <p className="hint">{t('ideas.curation_hint')}</p>
      <ErrorNote error={feature.error ?? unpublish.error} />
      <div className="button-row">
        <Button variant="secondary" disabled={feature.isPending} onClick={() => feature.mutate()}>
          {featured ? t('ideas.unfeature') : t('ideas.feature')}
        </Button>
        <Button variant="danger" disabled={unpublish.isPending} onClick={() => setAsking(true)}>
          {t('ideas.unpublish')}
        </Button>
      </div>
      <ConfirmDialog
        open={asking}
        title={t('ideas.unpublish_title')}
        confirmLabel={t('ideas.unpublish_yes')}
        cancelLabel={t('common.cancel')}
        onConfirm={() => {
          setAsking(false);
          unpublish.mutate();
        }}
        onCancel={() => setAsking(false)}
      >
        <p>{t('ideas.unpublish_body')}</p>
        <Select
          label={t('ideas.unpublish_reason')}
          value={reason}
          onChange={(e) => setReason(e.target.value as UnpublishReason)}
          options={UNPUBLISH_REASONS.map((value) => ({
            value,
            label: t(`ideas.reasons.${value}`),
          }))}
        />
      </ConfirmDialog>
    </section>
  );
}
