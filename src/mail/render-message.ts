/**
 * Turns a Cognito message template into the text and HTML parts of a mail. A template may be plain
 * text or HTML (Cognito sends templates as HTML, and pools often hold markup): plain text is escaped
 * into HTML with its line breaks kept; markup is used as the HTML part and stripped for the text
 * part. Placeholders are filled in one pass, so a value that contains a placeholder stays as it is;
 * values are always escaped in HTML, and the one marked `emphasise` (the code) is set in bold.
 */
export interface Placeholder {
  token: string;
  value: string;
  emphasise?: boolean;
}

export interface RenderedBody {
  text: string;
  html: string;
}

const MARKUP = /<\/?[a-z][a-z0-9]*(?:\s[^<>]*)?\/?>/i;
const BLOCK_END = /<\/(?:p|div|h[1-6]|li|tr|table|blockquote|pre)\s*>|<br\s*\/?>/gi;
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

export const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function fill(template: string, placeholders: Placeholder[], value: (p: Placeholder) => string): string {
  if (placeholders.length === 0) return template;
  const pattern = new RegExp(placeholders.map((p) => p.token.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g');
  return template.replace(pattern, (token) => value(placeholders.find((p) => p.token === token)!));
}

const htmlValue = (p: Placeholder) => (p.emphasise ? `<strong>${escapeHtml(p.value)}</strong>` : escapeHtml(p.value));

function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] === '#') {
      const n = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return Number.isSafeInteger(n) && n > 0 && n <= 0x10ffff ? String.fromCodePoint(n) : whole;
    }
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}

/** The readable text of an HTML template: block ends become line breaks, other tags go. */
function markupToText(html: string): string {
  const withoutHidden = html.replace(/<(head|style|script)\b[^]*?<\/\1\s*>/gi, '');
  const text = decodeEntities(withoutHidden.replace(BLOCK_END, '\n').replace(/<[^>]*>/g, ''));
  return text
    .split('\n')
    .map((line) => line.replace(/[ \t\r\f\v]+/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

function document(subject: string, body: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head><body>${body}</body></html>`;
}

export function renderMessage(template: string, subject: string, placeholders: Placeholder[]): RenderedBody {
  if (MARKUP.test(template)) {
    const html = fill(template, placeholders, htmlValue);
    return {
      text: fill(markupToText(template), placeholders, (p) => p.value),
      html: /<html[\s>]/i.test(template) ? html : document(subject, html),
    };
  }
  const paragraphs = escapeHtml(template.trim()).split(/\r?\n\s*\r?\n/).map((p) => `<p>${p.replace(/\r?\n/g, '<br>')}</p>`);
  return {
    text: fill(template.trim(), placeholders, (p) => p.value),
    html: document(subject, fill(paragraphs.join(''), placeholders, htmlValue)),
  };
}

/** A subject as one header line (templates may hold line breaks; headers may not). */
export const subjectLine = (subject: string) => subject.replace(/\s+/g, ' ').trim();
