import { type ReactNode, useId, useState } from 'react';
import {
  CREDIT_ROLES,
  type CreditChain,
  type CreditRole,
  formatCreditChain,
  parseTypedCreditLine,
} from '../core/credit.js';

const ROLE_LABELS: Record<CreditRole, string> = {
  agency: 'Agency',
  photographer: 'Photographer',
  distributor: 'Distributor',
  pool: 'Pool',
  other: 'Other',
};

/**
 * The credit chain as editable parts, in the order they are printed: each a
 * name and a role, moved up or down, removed or added. A whole credit line can
 * be pasted in, and is split into parts with guessed roles to correct.
 */
export function CreditChainEditor({
  value,
  onChange,
  label,
}: {
  value: CreditChain;
  onChange: (chain: CreditChain) => void;
  /** Names the chain for screen readers when several are on one screen ("Credit of photo 4"). */
  label: string;
}): ReactNode {
  const [pasted, setPasted] = useState('');
  // Explicit label–control pairs: a <select> wrapped in its <label> would get
  // its options' text in its accessible name.
  const id = useId();
  const update = (index: number, change: Partial<CreditChain[number]>) =>
    onChange(value.map((part, at) => (at === index ? { ...part, ...change } : part)));
  const move = (index: number, by: -1 | 1) => {
    const next = [...value];
    const [part] = next.splice(index, 1);
    if (part) next.splice(index + by, 0, part);
    onChange(next);
  };
  const remove = (index: number) => onChange(value.filter((_, at) => at !== index));

  return (
    <fieldset className="credit-chain">
      <legend>{label}</legend>
      {value.length === 0 ? <p className="hint">No credit yet.</p> : null}
      <ol>
        {value.map((part, index) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: parts have no identity but their place in the chain
          <li key={index}>
            <label htmlFor={`${id}-name-${index}`}>Name of part {index + 1}</label>
            <input
              id={`${id}-name-${index}`}
              value={part.name}
              onChange={(event) => update(index, { name: event.target.value })}
            />
            <label htmlFor={`${id}-role-${index}`}>Role of part {index + 1}</label>
            <select
              id={`${id}-role-${index}`}
              value={part.role}
              onChange={(event) => update(index, { role: event.target.value as CreditRole })}
            >
              {CREDIT_ROLES.map((role) => (
                <option key={role} value={role}>
                  {ROLE_LABELS[role]}
                </option>
              ))}
            </select>
            <button type="button" disabled={index === 0} onClick={() => move(index, -1)}>
              Move part {index + 1} up
            </button>{' '}
            <button
              type="button"
              disabled={index === value.length - 1}
              onClick={() => move(index, 1)}
            >
              Move part {index + 1} down
            </button>{' '}
            <button type="button" onClick={() => remove(index)}>
              Remove part {index + 1}
            </button>
          </li>
        ))}
      </ol>
      <button type="button" onClick={() => onChange([...value, { name: '', role: 'other' }])}>
        Add a credit part
      </button>
      <p className="hint">
        Printed as: {value.length > 0 ? formatCreditChain(value) : '(nothing)'}
      </p>
      <label>
        Or paste a credit line (Agency / Photographer / Distributor / Pool)
        <input value={pasted} onChange={(event) => setPasted(event.target.value)} />
      </label>
      <button
        type="button"
        disabled={pasted.trim() === ''}
        onClick={() => {
          onChange(parseTypedCreditLine(pasted));
          setPasted('');
        }}
      >
        Split into parts
      </button>
    </fieldset>
  );
}
