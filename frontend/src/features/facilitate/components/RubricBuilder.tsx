import { useTranslation } from 'react-i18next';
import type { Schemas } from '../../../api/client';
import { Field } from '../../../components/ui';
import { Button } from '../../../components/Button';

type Criterion = Schemas['Criterion'];

export function RubricBuilder({
  rubric,
  onChange,
}: {
  rubric: Criterion[];
  onChange: (r: Criterion[]) => void;
}) {
  const { t } = useTranslation();
  const update = (i: number, change: Partial<Criterion>) =>
    onChange(rubric.map((c, j) => (j === i ? { ...c, ...change } : c)));
  return (
    <fieldset>
      <legend>{t('editor.rubric')}</legend>
      <p className="hint">{t('editor.rubric_hint')}</p>
      {rubric.map((c, i) => (
        <div key={i} className="criterion">
          <Field label={t('editor.criterion_title', { n: i + 1 })} name={`rubric.${i}`}>
            {(p) => (
              <input
                {...p}
                required
                value={c.title}
                onChange={(e) =>
                  update(i, {
                    title: e.target.value,
                    id:
                      e.target.value
                        .toLowerCase()
                        .replace(/[^a-z0-9]+/g, '_')
                        .replace(/^_|_$/g, '') || `c${i + 1}`,
                  })
                }
              />
            )}
          </Field>
          <Field label={t('editor.criterion_description')} name={`rubric.${i}.description`}>
            {(p) => (
              <input
                {...p}
                value={c.description}
                onChange={(e) => update(i, { description: e.target.value })}
              />
            )}
          </Field>
          <Field label={t('editor.scale_max')} name={`rubric.${i}.scale_max`}>
            {(p) => (
              <input
                {...p}
                type="number"
                min={2}
                max={10}
                value={c.scale_max}
                onChange={(e) => update(i, { scale_max: Number(e.target.value) })}
              />
            )}
          </Field>
          <Field label={t('editor.descriptor_low')} name={`rubric.${i}.descriptors.${c.scale_min}`}>
            {(p) => (
              <input
                {...p}
                value={(c.descriptors as Record<string, string>)[String(c.scale_min)] ?? ''}
                onChange={(e) =>
                  update(i, { descriptors: { ...c.descriptors, [c.scale_min]: e.target.value } })
                }
              />
            )}
          </Field>
          <Field
            label={t('editor.descriptor_high')}
            name={`rubric.${i}.descriptors.${c.scale_max}`}
          >
            {(p) => (
              <input
                {...p}
                value={(c.descriptors as Record<string, string>)[String(c.scale_max)] ?? ''}
                onChange={(e) =>
                  update(i, { descriptors: { ...c.descriptors, [c.scale_max]: e.target.value } })
                }
              />
            )}
          </Field>
          {rubric.length > 1 && (
            <Button variant="secondary" onClick={() => onChange(rubric.filter((_, j) => j !== i))}>
              {t('editor.remove_criterion')}
            </Button>
          )}
        </div>
      ))}
      <Button
        variant="secondary"
        onClick={() =>
          onChange([
            ...rubric,
            {
              id: `c${rubric.length + 1}`,
              title: '',
              description: '',
              scale_min: 1,
              scale_max: 5,
              descriptors: {},
            },
          ])
        }
      >
        {t('editor.add_criterion')}
      </Button>
    </fieldset>
  );
}
