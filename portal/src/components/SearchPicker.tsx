/**
 * A field that picks one record by typing what identifies it (an email, a key prefix): the
 * server is searched as the person types (`q`), matches are offered through a native <datalist>
 * (keyboard and screen-reader support come with the browser), and the field is valid only once
 * its text names exactly one record, so a form cannot send a half-typed email.
 */
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState, type ReactNode } from 'react';

export interface SearchPickerProps<T> {
  readonly label: string;
  readonly hint?: ReactNode;
  readonly required?: boolean;
  readonly type?: 'text' | 'email';
  /** Identifies the search in the query cache, e.g. 'users'. */
  readonly cacheKey: string;
  readonly search: (text: string) => Promise<readonly T[]>;
  /** What the field holds once picked (and what a person types). */
  readonly valueOf: (item: T) => string;
  /** The option's description in the list. */
  readonly describe: (item: T) => string;
  readonly value: T | null;
  readonly onChange: (item: T | null) => void;
  /** Said when the text names no record, e.g. "No user has this email." */
  readonly noMatch: string;
}

const SEARCH_DELAY_MS = 250;

function useDebounced(value: string, delay: number): string {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = window.setTimeout(() => setSettled(value), delay);
    return () => window.clearTimeout(timer);
  }, [value, delay]);
  return settled;
}

export function SearchPicker<T>(props: SearchPickerProps<T>) {
  const { value, onChange, valueOf } = props;
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const [text, setText] = useState(value ? valueOf(value) : '');
  // Said once the person leaves the field (or tries to send), not at every keystroke of a half-typed email.
  const [touched, setTouched] = useState(false);
  const term = useDebounced(text.trim(), SEARCH_DELAY_MS);
  const results = useQuery({
    queryKey: ['picker', props.cacheKey, term],
    queryFn: () => props.search(term),
    placeholderData: keepPreviousData,
  });
  const options = results.data ?? [];
  const typed = text.trim().toLowerCase();
  const match = typed ? options.find((item) => valueOf(item).toLowerCase() === typed) : undefined;

  // Results arrive after the keystroke that asked for them: pick (or drop) once they name the text.
  const matchKey = match ? valueOf(match) : null;
  const valueKey = value ? valueOf(value) : null;
  useEffect(() => {
    if (matchKey !== valueKey) onChange(match ?? null);
  }, [matchKey, valueKey, match, onChange]);

  const invalid = touched && typed !== '' && !match && !results.isFetching;
  useEffect(() => {
    input.current?.setCustomValidity(typed !== '' && !match ? props.noMatch : '');
  }, [typed, match, props.noMatch]);

  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      <input
        ref={input}
        id={id}
        type={props.type ?? 'text'}
        list={`${id}-options`}
        autoComplete="off"
        required={props.required}
        value={text}
        aria-invalid={invalid ? true : undefined}
        aria-describedby={[props.hint ? hintId : '', invalid ? errorId : ''].filter(Boolean).join(' ') || undefined}
        onChange={(event) => setText(event.target.value)}
        onBlur={() => setTouched(true)}
        onInvalid={() => setTouched(true)}
      />
      <datalist id={`${id}-options`}>
        {options.map((item) => (
          <option key={valueOf(item)} value={valueOf(item)}>
            {props.describe(item)}
          </option>
        ))}
      </datalist>
      {props.hint ? (
        <p className="field-hint" id={hintId}>
          {props.hint}
        </p>
      ) : null}
      {invalid ? (
        <p className="field-error" id={errorId}>
          {props.noMatch}
        </p>
      ) : null}
      {results.isError ? <p className="field-error">Could not search: {results.error.message}</p> : null}
    </div>
  );
}
