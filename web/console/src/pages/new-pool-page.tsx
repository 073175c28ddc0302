import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { call } from '../api';
import type { UserPool } from '../cognito';
import { PageHeader } from '../components/page-header';
import { useTitle } from '../use-title';

/** What "Review defaults" creates: the workshop's pool (email as username, email auto-verified). */
const DEFAULTS = {
  UsernameAttributes: ['email'],
  AutoVerifiedAttributes: ['email'],
  UsernameConfiguration: { CaseSensitive: false },
  Policies: {
    PasswordPolicy: {
      MinimumLength: 8, RequireUppercase: true, RequireLowercase: true, RequireNumbers: true, RequireSymbols: true, TemporaryPasswordValidityDays: 7,
    },
  },
  AdminCreateUserConfig: { AllowAdminCreateUserOnly: false },
  MfaConfiguration: 'OFF',
};

const NAME_RULE = /^[\w\s+=,.@-]+$/;

/** /console/pools/new — a name, then "Review defaults", then create. */
export function NewPoolPage() {
  useTitle('Create user pool');
  const navigate = useNavigate();
  const [name, setName] = useState('');
  const [step, setStep] = useState<'name' | 'review'>('name');
  const [nameError, setNameError] = useState<string | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  const review = (event: FormEvent) => {
    event.preventDefault();
    const trimmed = name.trim();
    if (!trimmed) return setNameError('Give the pool a name.');
    if (trimmed.length > 128) return setNameError('The name can be at most 128 characters.');
    if (!NAME_RULE.test(trimmed)) return setNameError('Use letters, numbers, spaces and + = , . @ - _ only.');
    setNameError(undefined);
    setName(trimmed);
    setStep('review');
  };

  const create = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const out = await call<{ UserPool: UserPool }>('CreateUserPool', { PoolName: name, ...DEFAULTS });
      navigate(`/pools/${encodeURIComponent(out.UserPool.Id)}`, { state: { flash: `User pool ${out.UserPool.Name} created.` } });
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
      setBusy(false);
    }
  };

  return (
    <>
      <PageHeader title="Create user pool" crumbs={[{ label: 'User pools', to: '/' }, { label: 'Create' }]} />
      <ol className="steps" aria-label="Steps">
        <li className={step === 'name' ? 'step step-current' : 'step step-done'} aria-current={step === 'name' ? 'step' : undefined}>
          <span className="step-number">1</span> Name
        </li>
        <li className={step === 'review' ? 'step step-current' : 'step'} aria-current={step === 'review' ? 'step' : undefined}>
          <span className="step-number">2</span> Review defaults
        </li>
      </ol>

      {step === 'name' ? (
        <form className="panel panel-padded form" onSubmit={review} noValidate>
          <div className="field">
            <label htmlFor="pool-name">Pool name</label>
            <input
              id="pool-name"
              value={name}
              onChange={(e) => setName(e.target.value)}
              placeholder="WildRydes"
              maxLength={128}
              aria-describedby="pool-name-help"
              aria-invalid={nameError ? true : undefined}
              autoFocus
            />
            <p id="pool-name-help" className="field-help">
              A name for you to recognise the pool by, such as the app&apos;s name. The Pool Id is generated.
            </p>
            {nameError && (
              <p className="field-error" role="alert">
                {nameError}
              </p>
            )}
          </div>
          <div className="form-actions">
            <Link to="/" className="button">
              Cancel
            </Link>
            <button type="submit" className="button button-primary">
              Review defaults
            </button>
          </div>
        </form>
      ) : (
        <form className="panel panel-padded form" onSubmit={create}>
          <h2 className="panel-title">Review defaults</h2>
          <p className="muted">The pool is created with these settings, as in the Wild Rydes workshop.</p>
          <dl className="details">
            <dt>Pool name</dt>
            <dd>{name}</dd>
            <dt>Sign-in</dt>
            <dd>Email address as username (not case-sensitive)</dd>
            <dt>Auto-verified attributes</dt>
            <dd>email — new users get a verification code by email</dd>
            <dt>Self sign-up</dt>
            <dd>Allowed</dd>
            <dt>MFA</dt>
            <dd>Off</dd>
          </dl>
          <h3 className="section-title">Password policy</h3>
          <ul className="checklist">
            <li>Minimum length: 8 characters</li>
            <li>Requires an uppercase letter</li>
            <li>Requires a lowercase letter</li>
            <li>Requires a number</li>
            <li>Requires a symbol</li>
            <li>Temporary passwords expire after 7 days</li>
          </ul>
          {error && (
            <div className="callout callout-error" role="alert">
              <p className="callout-title">The pool was not created</p>
              <p>{error}</p>
            </div>
          )}
          <div className="form-actions">
            <button type="button" className="button" onClick={() => setStep('name')} disabled={busy}>
              Back
            </button>
            <button type="submit" className="button button-primary" disabled={busy}>
              {busy ? 'Creating…' : 'Create pool'}
            </button>
          </div>
        </form>
      )}
    </>
  );
}
