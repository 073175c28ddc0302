import { useState } from 'react';

/** An identifier in monospace with a Copy button (when the browser allows the clipboard). */
export function CopyValue({ value, label }: { value: string; label: string }) {
  const [copied, setCopied] = useState(false);
  const canCopy = typeof navigator !== 'undefined' && Boolean(navigator.clipboard) && window.isSecureContext;
  const copy = () => {
    navigator.clipboard.writeText(value).then(
      () => {
        setCopied(true);
        window.setTimeout(() => setCopied(false), 1500);
      },
      () => setCopied(false),
    );
  };
  return (
    <span className="copy-value">
      <code>{value}</code>
      {canCopy && (
        <button type="button" className="button button-small button-quiet" onClick={copy} aria-label={`Copy ${label}`}>
          {copied ? 'Copied' : 'Copy'}
        </button>
      )}
    </span>
  );
}
