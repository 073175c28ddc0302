import type { ReactNode } from 'react';

/** What went wrong, in the server's (Cognito's) words, with a way to try again. */
export function ErrorState({ title = 'Something went wrong', message, onRetry, children }: {
  title?: string;
  message: string;
  onRetry?: () => void;
  children?: ReactNode;
}) {
  return (
    <div className="callout callout-error" role="alert">
      <p className="callout-title">{title}</p>
      <p>{message}</p>
      {(onRetry || children) && (
        <div className="callout-actions">
          {onRetry && (
            <button type="button" className="button" onClick={onRetry}>
              Try again
            </button>
          )}
          {children}
        </div>
      )}
    </div>
  );
}
