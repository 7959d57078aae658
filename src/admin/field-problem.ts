import { ApiFailure, messageOf } from './api.js';

/** Why a form was not saved, and the field the server named, if any. */
export type FieldProblem = { field: string | undefined; text: string };

/** A refused save as a FieldProblem: "Not saved: …", with the field the server blamed. */
export function notSaved(failure: unknown): FieldProblem {
  return {
    field: failure instanceof ApiFailure ? failure.error.field : undefined,
    text: `Not saved: ${messageOf(failure)}`,
  };
}

/** Marks the field the server refused and points it to the words saying why (`<idPrefix>-problem`). */
export function refusedProps(
  problem: FieldProblem | null,
  field: string,
  idPrefix: string,
): { 'aria-invalid'?: true; 'aria-describedby'?: string } {
  return problem?.field === field
    ? { 'aria-invalid': true, 'aria-describedby': `${idPrefix}-problem` }
    : {};
}
