import type { ReactNode } from 'react';
import { type Section, sectionLabel } from './api.js';

/** The <option>s of a section picker, each labelled with its trail ("News › Politics"). */
export function SectionOptions({ sections }: { sections: Section[] }): ReactNode {
  return sections.map((section) => (
    <option key={section.id} value={section.path}>
      {sectionLabel(section.path, sections)}
    </option>
  ));
}
