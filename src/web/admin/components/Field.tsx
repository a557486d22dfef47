// A labelled form field for the pages that use plain inputs (the opinion entry page): the label, the
// control, a hint and an error, wired for screen readers (the control is described by both and marked
// invalid). Light on purpose: a page built on it loads no form library.
//
//   <Field id="content" label="意见内容" required error={errors.content} hint="…">
//     {(a) => <textarea {...a} value={v} onChange={…} />}
//   </Field>
import type { ReactNode } from 'react';

export interface FieldAria {
  id: string;
  'aria-invalid'?: true;
  'aria-describedby'?: string;
  'aria-required'?: true;
}

export function Field({ id, label, required, error, hint, children, group }: {
  id: string;
  label: ReactNode;
  required?: boolean;
  error?: string;
  hint?: ReactNode;
  /** A group of controls (radios): a fieldset with the label as its legend. */
  group?: boolean;
  children: (aria: FieldAria) => ReactNode;
}) {
  const described = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  const aria: FieldAria = {
    id,
    ...(error ? { 'aria-invalid': true as const } : {}),
    ...(described ? { 'aria-describedby': described } : {}),
    ...(required ? { 'aria-required': true as const } : {}),
  };
  const title = (
    <>
      {required ? <span className="field-required" aria-hidden="true">*</span> : null}
      {label}
    </>
  );
  const rest = (
    <>
      {children(aria)}
      {hint ? (
        <span id={`${id}-hint`} className="field-hint">
          {hint}
        </span>
      ) : null}
      {error ? (
        <span id={`${id}-error`} className="field-error" role="alert">
          {error}
        </span>
      ) : null}
    </>
  );
  return group ? (
    <fieldset className="field" aria-describedby={described}>
      <legend className="field-label">{title}</legend>
      {rest}
    </fieldset>
  ) : (
    <div className="field">
      <label className="field-label" htmlFor={id}>
        {title}
      </label>
      {rest}
    </div>
  );
}
