/** Form parts that keep labels, hints and errors tied together for assistive technology. */
import type { Child } from "hono/jsx";
import type { Ui } from "./ui.js";

export interface FieldError {
  /** The id of the input the error is about (the summary links to it). */
  field: string;
  message: string;
}

export function errorFor(errors: FieldError[], field: string): string | undefined {
  return errors.find((error) => error.field === field)?.message;
}

/** Lists every problem at the top, each linked to its field; focused first so it is read at once. */
export function ErrorSummary({ ui, errors }: { ui: Ui; errors: FieldError[] }) {
  if (errors.length === 0) return null;
  return (
    <div class="error-summary" role="alert" tabindex={-1} aria-labelledby="error-summary-title" autofocus>
      <h2 id="error-summary-title">{ui.t("form.errorSummary")}</h2>
      <ul>
        {errors.map((error) => (
          <li>
            <a href={`#${error.field}`}>{error.message}</a>
          </li>
        ))}
      </ul>
    </div>
  );
}

export interface TextFieldProps {
  id: string;
  name?: string;
  label: string;
  hint?: Child;
  value?: string;
  error?: string;
  type?: "text" | "password" | "email" | "url" | "number";
  autocomplete?: string;
  required?: boolean;
  spellcheck?: boolean;
  inputmode?: "text" | "numeric";
  min?: number;
  max?: number;
  maxlength?: number;
}

export function TextField(props: TextFieldProps) {
  const hintId = props.hint ? `${props.id}-hint` : undefined;
  const errorId = props.error ? `${props.id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(" ") || undefined;
  return (
    <div class={props.error ? "field has-error" : "field"}>
      <label for={props.id}>{props.label}</label>
      {props.hint ? (
        <p class="hint" id={hintId}>
          {props.hint}
        </p>
      ) : null}
      {props.error ? (
        <p class="error" id={errorId}>
          {props.error}
        </p>
      ) : null}
      <input
        id={props.id}
        name={props.name ?? props.id}
        type={props.type ?? "text"}
        value={props.value ?? ""}
        autocomplete={props.autocomplete ?? "off"}
        spellcheck={props.spellcheck}
        inputmode={props.inputmode}
        required={props.required}
        min={props.min}
        max={props.max}
        maxlength={props.maxlength}
        aria-invalid={props.error ? "true" : undefined}
        aria-describedby={describedBy}
      />
    </div>
  );
}

export interface RadioOption {
  value: string;
  label: string;
  hint?: Child;
}

/** A radio group in a fieldset whose legend is the question. The first radio carries the group's id. */
export function RadioGroup(props: {
  id: string;
  name: string;
  legend: string;
  hint?: Child;
  options: RadioOption[];
  value?: string;
  error?: string;
}) {
  const errorId = props.error ? `${props.id}-error` : undefined;
  const hintId = props.hint ? `${props.id}-hint` : undefined;
  return (
    <fieldset
      class={props.error ? "field has-error" : "field"}
      aria-describedby={[hintId, errorId].filter(Boolean).join(" ") || undefined}
    >
      <legend>{props.legend}</legend>
      {props.hint ? (
        <p class="hint" id={hintId}>
          {props.hint}
        </p>
      ) : null}
      {props.error ? (
        <p class="error" id={errorId}>
          {props.error}
        </p>
      ) : null}
      {props.options.map((option, i) => {
        const id = i === 0 ? props.id : `${props.id}-${option.value}`;
        return (
          <div class="choice">
            <input
              type="radio"
              id={id}
              name={props.name}
              value={option.value}
              checked={props.value === option.value}
              aria-describedby={option.hint ? `${id}-hint` : undefined}
            />
            <label for={id}>{option.label}</label>
            {option.hint ? (
              <p class="hint" id={`${id}-hint`}>
                {option.hint}
              </p>
            ) : null}
          </div>
        );
      })}
    </fieldset>
  );
}

export function Checkbox(props: {
  id: string;
  name: string;
  label: string;
  checked: boolean;
  value?: string;
}) {
  return (
    <div class="choice">
      <input
        type="checkbox"
        id={props.id}
        name={props.name}
        value={props.value ?? "on"}
        checked={props.checked}
      />
      <label for={props.id}>{props.label}</label>
    </div>
  );
}

/** Settings pages reached from the dashboard go back there after saving, not to the next step. */
export function ReturnField({ from }: { from: string | undefined }) {
  return from === "dashboard" ? <input type="hidden" name="from" value="dashboard" /> : null;
}
