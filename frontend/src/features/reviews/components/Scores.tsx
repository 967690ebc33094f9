import type { Schemas } from '../../../api/client';

type Criterion = Schemas['Criterion'];

export function Scores({
  rubric,
  scores,
  onChange,
}: {
  rubric: Criterion[];
  scores: Record<string, number>;
  onChange: (s: Record<string, number>) => void;
}) {
  return (
    <>
      {rubric.map((c) => (
        <fieldset key={c.id} className="scale-choice">
          <legend>{c.title}</legend>
          {c.description && <p className="hint">{c.description}</p>}
          {Array.from({ length: c.scale_max - c.scale_min + 1 }, (_, i) => c.scale_min + i).map(
            (value) => (
              <label key={value} className="inline">
                <input
                  type="radio"
                  name={`score-${c.id}`}
                  value={value}
                  required
                  checked={scores[c.id] === value}
                  onChange={() => onChange({ ...scores, [c.id]: value })}
                />
                {value}
                {(c.descriptors as Record<string, string>)[String(value)] &&
                  ` — ${(c.descriptors as Record<string, string>)[String(value)]}`}
              </label>
            ),
          )}
        </fieldset>
      ))}
    </>
  );
}
