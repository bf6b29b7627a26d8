// HTML built from templates that escape every interpolated value, so text from the store (message bodies,
// attributes, names, partition keys) can only ever appear as text. Only Html values (built by `html`
// itself) are inserted as markup. Pure.

export class Html {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

type Value = Html | string | number | boolean | null | undefined | readonly Value[];

function render(value: Value): string {
  if (value === null || value === undefined || value === false || value === true) return '';
  if (value instanceof Html) return value.text;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
}

// html`<td>${body}</td>`: interpolations are escaped, arrays joined, null/undefined/booleans dropped.
export function html(strings: TemplateStringsArray, ...values: Value[]): Html {
  let text = strings[0]!;
  for (let i = 0; i < values.length; i++) text += render(values[i]!) + strings[i + 1]!;
  return new Html(text);
}

// Markup written by this program (never data): the SVG builders and constants use it.
export function trusted(text: string): Html {
  return new Html(text);
}

export function joinHtml(parts: Html[], separator = ''): Html {
  return new Html(parts.map((part) => part.text).join(separator));
}
