// A lesson's saved versions for its editors: which one readers see, publishing another (an
// older one takes a change back) and unpublishing, each asked first.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, unwrap, type Schemas } from '../../../api/client';
import { Badge } from '../../../components/Badge';
import { Button } from '../../../components/Button';
import { ConfirmDialog } from '../../../components/ConfirmDialog';
import { useToast } from '../../../components/Toast';
import { ErrorNote, Loading, formatDate } from '../../../components/ui';
import { libraryKeys, useVersions } from '../api';

type Lesson = Schemas['LessonForEditors'];

export function VersionsPanel({ lesson }: { lesson: Lesson }) {
  const { t, i18n } = useTranslation();
  const toast = useToast();
  const queryClient = useQueryClient();
  const versions = useVersions(lesson.id);
  const [publishing, setPublishing] = useState<number | null>(null);
  const [unpublishing, setUnpublishing] = useState(false);
  const after = async (updated: Lesson) => {
    queryClient.setQueryData(libraryKeys.edited(lesson.id), updated);
    await queryClient.invalidateQueries({ queryKey: libraryKeys.all });
  };
  const publish = useMutation({
    mutationFn: (version: number) =>
      unwrap(
        api.PUT('/api/v1/library/lessons/{lesson_id}/publication', {
          params: { path: { lesson_id: lesson.id } },
          body: { version },
        }),
      ),
    onSuccess: async (updated) => {
      setPublishing(null);
      toast(t('library.versions.published_toast', { n: updated.published_version }));
      await after(updated);
    },
    onError: () => setPublishing(null),
  });
  const unpublish = useMutation({
    mutationFn: () =>
      unwrap(
        api.DELETE('/api/v1/library/lessons/{lesson_id}/publication', {
          params: { path: { lesson_id: lesson.id } },
        }),
      ),
    onSuccess: async (updated) => {
      setUnpublishing(false);
      toast(t('library.versions.unpublished_toast'));
      await after(updated);
    },
    onError: () => setUnpublishing(false),
  });
  return (
    <section aria-labelledby="versions-heading">
      <h2 id="versions-heading">{t('library.versions.title')}</h2>
      <p role="status">
        {lesson.published_version !== null ? (
          <>
            {t('library.versions.readers_see', { n: lesson.published_version })}{' '}
            <Link to={`/library/lessons/${lesson.id}`}>{t('library.versions.open_as_reader')}</Link>
          </>
        ) : (
          t('library.versions.unpublished')
        )}
      </p>
      <ErrorNote error={publish.error ?? unpublish.error} />
      {versions.isPending && <Loading />}
      <ErrorNote error={versions.error} />
      <ol className="versions" reversed>
        {versions.data?.map((v) => (
          <li key={v.version}>
            <p>
              <strong>{t('library.versions.version_n', { n: v.version })}</strong> · {v.title} ·{' '}
              {v.editor_name ?? t('library.versions.erased_editor')} ·{' '}
              {formatDate(v.created_at, i18n.language)}{' '}
              {v.version === lesson.published_version && (
                <Badge tone="ok">{t('library.versions.published')}</Badge>
              )}
            </p>
            {v.version !== lesson.published_version && (
              <Button
                variant="secondary"
                size="sm"
                disabled={publish.isPending}
                onClick={() => setPublishing(v.version)}
              >
                {t('library.versions.publish_n', { n: v.version })}
              </Button>
            )}
          </li>
        ))}
      </ol>
      {lesson.published_version !== null && (
        <Button variant="danger" onClick={() => setUnpublishing(true)}>
          {t('library.versions.unpublish')}
        </Button>
      )}
      <ConfirmDialog
        open={publishing !== null}
        title={t('library.versions.publish_title', { n: publishing ?? 0 })}
        confirmLabel={t('library.versions.publish_confirm')}
        cancelLabel={t('common.cancel')}
        onConfirm={() => publishing !== null && publish.mutate(publishing)}
        onCancel={() => setPublishing(null)}
      >
        <p>{t('library.versions.publish_explain')}</p>
      </ConfirmDialog>
      <ConfirmDialog
        open={unpublishing}
        title={t('library.versions.unpublish_title')}
        confirmLabel={t('library.versions.unpublish_confirm')}
        cancelLabel={t('common.cancel')}
        onConfirm={() => unpublish.mutate()}
        onCancel={() => setUnpublishing(false)}
      >
        <p>{t('library.versions.unpublish_explain')}</p>
      </ConfirmDialog>
    </section>
  );
}
