// Tabs on Radix UI's primitive: the WAI-ARIA tabs pattern (tablist/tab/tabpanel, roving
// tabindex, arrow keys, Home/End) from a well-kept library rather than hand-written ARIA.
import * as RadixTabs from '@radix-ui/react-tabs';
import type { ReactNode } from 'react';

export interface TabItem {
  id: string;
  label: ReactNode;
  content: ReactNode;
}

interface TabsProps {
  /** What the tabs choose between, for screen readers (the tablist's name). */
  label: string;
  tabs: readonly TabItem[];
  /** The tab open at first (the first one if absent); uncontrolled unless `value` is given. */
  defaultValue?: string;
  value?: string;
  onValueChange?: (value: string) => void;
}

/** One panel at a time; the arrow keys move between tabs and show each at once. */
export function Tabs({ label, tabs, defaultValue, value, onValueChange }: TabsProps) {
  return (
    <RadixTabs.Root
      className="tabs"
      defaultValue={value === undefined ? (defaultValue ?? tabs[0]?.id) : undefined}
      value={value}
      onValueChange={onValueChange}
      activationMode="automatic"
    >
      <RadixTabs.List className="tab-list" aria-label={label}>
        {tabs.map((tab) => (
          <RadixTabs.Trigger key={tab.id} value={tab.id} className="tab">
            {tab.label}
          </RadixTabs.Trigger>
        ))}
      </RadixTabs.List>
      {tabs.map((tab) => (
        <RadixTabs.Content key={tab.id} value={tab.id} className="tab-panel">
          {tab.content}
        </RadixTabs.Content>
      ))}
    </RadixTabs.Root>
  );
}
