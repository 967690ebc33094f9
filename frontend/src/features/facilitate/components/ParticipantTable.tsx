import { useTranslation } from 'react-i18next';
import type { Schemas } from '../../../api/client';
import { useLabels } from '../../../components/labels';
import { Table, type Column } from '../../../components/Table';

type Participant = Schemas['ParticipantView'];

/** The participants overview: handles with coarse labels and skills (cards on a phone). */
export function ParticipantTable({ items }: { items: readonly Participant[] }) {
  const { t } = useTranslation();
  const labels = useLabels();
  // null: the distributions hide this person's cell, so the row does too.
  const hidden = <span className="suppressed">{t('facilitate.hidden_small_group')}</span>;
  const columns: Column<Participant>[] = [
    { id: 'handle', header: t('facilitate.handle'), cell: (p) => p.handle, rowHeader: true },
    {
      id: 'cohort',
      header: t('facilitate.cohort'),
      cell: (p) => (p.cohort ? labels.cohort(p.cohort) : hidden),
    },
    {
      id: 'band',
      header: t('facilitate.band'),
      cell: (p) => (p.seniority_band ? labels.band(p.seniority_band) : hidden),
    },
    {
      id: 'teach',
      header: t('join.teach'),
      cell: (p) => p.teach.map((s) => labels.skill(s.skill)).join(', '),
    },
    {
      id: 'learn',
      header: t('join.learn'),
      cell: (p) => p.learn.map((s) => labels.skill(s.skill)).join(', '),
    },
  ];
  return (
    <Table
      caption={t('facilitate.list_caption')}
      columns={columns}
      rows={items}
      rowKey={(p) => p.pseudonym}
    />
  );
}
