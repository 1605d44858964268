/** A labelled text input whose error, if any, is shown under it and announced with it. */
export interface TextFieldProps {
  id: string;
  label: string;
  value: string;
  onInput: (v: string) => void;
  error?: string | undefined;
  multiline?: boolean;
  type?: 'text' | 'password';
  /** A line of help under the label, announced with the field. */
  hint?: string;
}

/** A labelled text or password input (or a textarea) with its error under it. */
export function TextField({ id, label, value, onInput, error, multiline = false, type = 'text', hint }: TextFieldProps) {
  const describedBy = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter((x) => x !== null).join(' ');
  const props = {
    id,
    value,
    'aria-invalid': error ? true : undefined,
    'aria-describedby': describedBy || undefined,
  };
  return (
    <div class="field">
      <label for={id}>{label}</label>
      {hint ? (
        <p id={`${id}-hint`} class="hint">
          {hint}
        </p>
      ) : null}
      {multiline ? (
        <textarea {...props} rows={3} onInput={(e) => {
          onInput(e.currentTarget.value);
        }} />
      ) : (
        type === 'password' ? (
          <input {...props} type="password" onInput={(e) => {
            onInput(e.currentTarget.value);
          }} />
        ) : (
          <input {...props} type="text" onInput={(e) => {
            onInput(e.currentTarget.value);
          }} />
        )
      )}
      {error ? (
        <p id={`${id}-error`} class="field-error">
          {error}
        </p>
      ) : null}
    </div>
  );
}
