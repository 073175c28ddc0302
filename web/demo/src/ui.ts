import type { Problem } from './errors.js';

/** The element with this id, or a clear error if a page lacks it. */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`#${id} is missing from the page`);
  return el as T;
}

export const field = (id: string) => byId<HTMLInputElement>(id);

/** Writes a problem into the page's role="alert" region (screen readers announce it) and marks the field. */
export function showProblem(problem: Problem, fieldId?: string): void {
  const alert = byId('alert');
  const text = document.createElement('span');
  text.textContent = problem.text;
  const parts: Node[] = [text];
  if (problem.link) {
    const a = document.createElement('a');
    a.href = problem.link.href;
    a.textContent = problem.link.label;
    parts.push(document.createTextNode(' '), a);
  }
  alert.replaceChildren(...parts);
  for (const input of document.querySelectorAll('[aria-invalid="true"]')) input.removeAttribute('aria-invalid');
  if (fieldId) {
    const input = field(fieldId);
    input.setAttribute('aria-invalid', 'true');
    input.focus();
  }
}

export function clearProblem(): void {
  byId('alert').replaceChildren();
  for (const input of document.querySelectorAll('[aria-invalid="true"]')) input.removeAttribute('aria-invalid');
}

/** A polite status message (role="status"), e.g. "We sent a new code". */
export function showStatus(text: string): void {
  byId('status').textContent = text;
}

/** Disables a button while its request runs, with a busy label. */
export async function busy<T>(button: HTMLButtonElement, label: string, work: () => Promise<T>): Promise<T> {
  const idle = button.textContent;
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  button.textContent = label;
  try {
    return await work();
  } finally {
    button.disabled = false;
    button.removeAttribute('aria-busy');
    button.textContent = idle;
  }
}

export const param = (name: string) => new URLSearchParams(location.search).get(name) ?? '';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
export const looksLikeEmail = (value: string) => EMAIL.test(value);
