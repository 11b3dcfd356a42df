// A text setting saved when the field is left or Enter is pressed; a refusal shows under the field.
// An outside change of the value replaces the draft.
import { useState } from 'react';
import { errorMessage } from '../../lib/errors';

export interface TextSettingProps {
  id: string;
  value: string;
  placeholder?: string;
  inputMode?: 'text' | 'decimal' | 'url';
  /** Turns the text into what to save, or returns a plain-words problem. */
  save(text: string): Promise<unknown>;
  validate?(text: string): string | null;
}

export function TextSetting({ id, value, placeholder, inputMode = 'text', save, validate }: TextSettingProps) {
  const [draft, setDraft] = useState(value);
  const [shown, setShown] = useState(value);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  if (value !== shown) {
    // The saved value changed (here or elsewhere): show it (React's "adjust state on prop change").
    setShown(value);
    setDraft(value);
  }
  const commit = async () => {
    if (draft.trim() === value.trim()) return;
    const problem = validate?.(draft.trim()) ?? null;
    if (problem) return setError(problem);
    try {
      await save(draft.trim());
      setError(null);
      setSaved(true);
    } catch (err) {
      setError(errorMessage(err));
    }
  };
  return (
    <div className="text-setting">
      <input
        id={id}
        className="input"
        value={draft}
        placeholder={placeholder}
        inputMode={inputMode === 'url' ? 'url' : inputMode}
        spellCheck={false}
        onChange={(event) => {
          setDraft(event.target.value);
          setError(null);
          setSaved(false);
        }}
        onBlur={() => void commit()}
        onKeyDown={(event) => {
          if (event.key === 'Enter') void commit();
          if (event.key === 'Escape' && draft !== value) {
            event.stopPropagation();
            setDraft(value);
            setError(null);
          }
        }}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
      />
      {error && (
        <p id={`${id}-error`} className="inline-error" role="alert">
          {error}
        </p>
      )}
      {saved && !error && <p className="inline-note">Saved.</p>}
    </div>
  );
}
