// Writing a collection: its title, its description and its lessons in order (each lesson is
// kept by its translation group: readers get it in their own language), and deleting it.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { api, unwrap, type Schemas } from '../../../api/client';
import { Button } from '../../../components/Button';
import { ConfirmDialog } from '../../../components/ConfirmDialog';
import { useToast } from '../../../components/Toast';
import { ErrorNote, Field, Form } from '../../../components/ui';
import { libraryKeys } from '../api';

type Collection = Schemas['CollectionOut'];

/** A lesson one can put in a collection: its translation group and a title to show. */
export interface Choosable {
  group: string;
  title: string;
}

export function CollectionEditor({
  collection,
  choosable,
}: {
  collection: Collection | undefined;
  choosable: Choosable[];
}) {
  const { t } = useTranslation();
  const toast = useToast();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const picker = useRef<HTMLSelectElement>(null);
  const [title, setTitle] = useState(collection?.title ?? '');
  const [description, setDescription] = useState(collection?.description ?? '');
  const [groups, setGroups] = useState<string[]>(
    collection?.items.map((item) => item.translation_group) ?? [],
  );
  const [picked, setPicked] = useState('');
  const [deleting, setDeleting] = useState(false);
  const titleOf = (group: string) =>
    choosable.find((c) => c.group === group)?.title ??
    collection?.items.find((item) => item.translation_group === group)?.lesson?.title ??
    t('library.collections.unpublished_lesson');

  const save = useMutation({
    mutationFn: () => {
      const body = { title, description, lessons: groups };
      if (collection) {
        return unwrap(
          api.PUT('/api/v1/library/collections/{collection_id}', {
            params: { path: { collection_id: collection.id } },
            body: { ...body, revision: collection.revision },
          }),
        );
      }
      return unwrap(api.POST('/api/v1/library/collections', { body }));
    },
    onSuccess: async (saved) => {
      toast(t('library.collections.saved'));
      await queryClient.invalidateQueries({ queryKey: libraryKeys.all });
      void navigate(`/library/collections/${saved.id}`);
    },
  });
  const remove = useMutation({
    mutationFn: () =>
      unwrap(
        api.DELETE('/api/v1/library/collections/{collection_id}', {
          params: { path: { collection_id: collection?.id ?? '' } },
        }),
      ),
    onSuccess: async () => {
      toast(t('library.collections.deleted'));
      await queryClient.invalidateQueries({ queryKey: libraryKeys.all });
      void navigate('/library');
    },
    onError: () => setDeleting(false),
  });

  const move = (from: number, to: number) => {
    const group = groups[from];
    if (group === undefined) return;
    const next = groups.filter((_, i) => i !== from);
    next.splice(to, 0, group);
    setGroups(next);
    // The focus follows the lesson it moved, on the same button when it still exists there.
    window.setTimeout(() => {
      const row = document.querySelector(`[data-group="${group}"]`);
      const direction = to < from ? 'up' : 'down';
      (
        row?.querySelector<HTMLElement>(`[data-move="${direction}"]`) ??
        row?.querySelector<HTMLElement>('button')
      )?.focus();
    }, 0);
  };
  const available = choosable.filter((c) => !groups.includes(c.group));

  return (
    <>
      <Form
        error={save.error}
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate();
        }}
      >
        <Field label={t('library.collections.title_field')} name="title">
          {(p) => <input {...p} value={title} onChange={(e) => setTitle(e.target.value)} />}
        </Field>
        <Field label={t('library.collections.description')} name="description">
          {(p) => (
            <textarea
              {...p}
              rows={3}
              value={description}
              onChange={(e) => setDescription(e.target.value)}
            />
          )}
        </Field>
        <fieldset>
          <legend>{t('library.collections.lessons')}</legend>
          {groups.length === 0 ? (
            <p>{t('library.collections.no_lessons_yet')}</p>
          ) : (
            <ol className="collection-order">
              {groups.map((group, i) => {
                const name = titleOf(group);
                return (
                  <li key={group} data-group={group}>
                    <span>{name}</span>
                    <span className="button-row">
                      {i > 0 && (
                        <Button
                          variant="secondary"
                          size="sm"
                          data-move="up"
                          aria-label={t('library.collections.move_up', { title: name })}
                          onClick={() => move(i, i - 1)}
                        >
                          {t('library.collections.up')}
                        </Button>
                      )}
                      {i < groups.length - 1 && (
                        <Button
                          variant="secondary"
                          size="sm"
                          data-move="down"
                          aria-label={t('library.collections.move_down', { title: name })}
                          onClick={() => move(i, i + 1)}
                        >
                          {t('library.collections.down')}
                        </Button>
                      )}
                      <Button
                        variant="link"
                        aria-label={t('library.collections.remove', { title: name })}
                        onClick={() => {
                          setGroups(groups.filter((g) => g !== group));
                          window.setTimeout(() => picker.current?.focus(), 0);
                        }}
                      >
                        {t('library.collections.remove_short')}
                      </Button>
                    </span>
                  </li>
                );
              })}
            </ol>
          )}
          <div className="search-row">
            <Field label={t('library.collections.add_label')} name="lessons">
              {(p) => (
                <select
                  {...p}
                  ref={picker}
                  value={picked}
                  onChange={(e) => setPicked(e.target.value)}
                >
                  <option value="">{t('library.collections.pick')}</option>
                  {available.map((c) => (
                    <option key={c.group} value={c.group}>
                      {c.title}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Button
              variant="secondary"
              disabled={!picked}
              onClick={() => {
                setGroups([...groups, picked]);
                setPicked('');
                // The button is disabled once nothing is picked: the focus goes back to the list.
                picker.current?.focus();
              }}
            >
              {t('library.collections.add')}
            </Button>
          </div>
        </fieldset>
        <ErrorNote error={save.error} />
        <Button type="submit" disabled={save.isPending}>
          {t('library.collections.save')}
        </Button>
      </Form>
      {collection && (
        <section aria-labelledby="delete-collection">
          <h2 id="delete-collection">{t('library.collections.delete_title')}</h2>
          <p>{t('library.collections.delete_explain')}</p>
          <ErrorNote error={remove.error} />
          <Button variant="danger" onClick={() => setDeleting(true)}>
            {t('library.collections.delete')}
          </Button>
          <ConfirmDialog
            open={deleting}
            title={t('library.collections.delete_confirm_title', { title: collection.title })}
            confirmLabel={t('library.collections.delete')}
            cancelLabel={t('common.cancel')}
            onConfirm={() => remove.mutate()}
            onCancel={() => setDeleting(false)}
          >
            <p>{t('library.collections.delete_explain')}</p>
          </ConfirmDialog>
        </section>
      )}
    </>
  );
}
