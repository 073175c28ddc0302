import { currentSession, signOut, type SignedIn } from '../auth.js';
import { siteConfig } from '../config.js';
import { busy, byId, clearProblem, field, showProblem, showStatus } from '../ui.js';

interface RideAnswer {
  RideId?: string;
  Unicorn?: { Name?: string; Color?: string; Gender?: string };
  Eta?: string;
  Rider?: string;
  message?: string;
}

const TIMES = new Set(['iat', 'exp', 'auth_time']);

function claimValue(name: string, value: unknown): string {
  if (TIMES.has(name) && typeof value === 'number') return `${value} (${new Date(value * 1000).toLocaleString()})`;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** The decoded ID-token claims as a two-column table. */
function showClaims(claims: Record<string, unknown>): void {
  const rows = Object.entries(claims).map(([name, value]) => {
    const row = document.createElement('tr');
    const th = document.createElement('th');
    th.scope = 'row';
    th.textContent = name;
    const td = document.createElement('td');
    td.textContent = claimValue(name, value);
    row.append(th, td);
    return row;
  });
  byId('claims').replaceChildren(...rows);
}

const toSignIn = () => location.replace('signin.html?next=ride');

/**
 * Module 3 of the workshop: POST {invokeUrl}/ride with the ID token, bare, in the Authorization header
 * (as API Gateway's Cognito authorizer expects it) and the pickup location as JSON.
 */
async function requestRide(signedIn: SignedIn): Promise<void> {
  const latitude = Number(field('latitude').value);
  const longitude = Number(field('longitude').value);
  if (!Number.isFinite(latitude) || Math.abs(latitude) > 90) return showProblem({ text: 'The latitude is a number from -90 to 90.' }, 'latitude');
  if (!Number.isFinite(longitude) || Math.abs(longitude) > 180) return showProblem({ text: 'The longitude is a number from -180 to 180.' }, 'longitude');
  // A fresh session: getSession refreshes the tokens if the ID token has expired.
  const fresh = (await currentSession()) ?? signedIn;
  const response = await fetch(`${siteConfig().api.invokeUrl}/ride`, {
    method: 'POST',
    headers: { Authorization: fresh.session.getIdToken().getJwtToken(), 'Content-Type': 'application/json' },
    body: JSON.stringify({ PickupLocation: { Latitude: latitude, Longitude: longitude } }),
  });
  const answer = (await response.json().catch(() => ({}))) as RideAnswer;
  if (!response.ok) {
    if (response.status === 401) {
      return showProblem({ text: `The ride API did not accept your sign-in (${answer.message ?? 'unauthorized'}). Please sign in again.`, link: { href: 'signin.html', label: 'Sign in' } });
    }
    return showProblem({ text: `The ride API could not send a unicorn (HTTP ${response.status}${answer.message ? `: ${answer.message}` : ''}). Please try again.` });
  }
  const unicorn = answer.Unicorn ?? {};
  byId('ride-summary').textContent = `${unicorn.Name ?? 'Your unicorn'}, a ${(unicorn.Color ?? '').toLowerCase()} unicorn, is on the way. Arriving in ${answer.Eta ?? 'a moment'}.`;
  byId('ride-json').textContent = JSON.stringify(answer, null, 2);
  byId('ride-result').hidden = false;
}

export async function ridePage(): Promise<void> {
  const signedIn = await currentSession();
  if (!signedIn) return toSignIn();
  const claims = signedIn.session.getIdToken().decodePayload();
  byId('who').textContent = String(claims.email ?? claims['cognito:username'] ?? 'a rider');
  showClaims(claims);
  byId('checking').hidden = true;
  byId('signed-in').hidden = false;

  const request = byId<HTMLButtonElement>('request-ride');
  request.addEventListener('click', async () => {
    clearProblem();
    try {
      await busy(request, 'Requesting…', () => requestRide(signedIn));
    } catch {
      showProblem({ text: 'Could not reach the ride API. Check your connection and try again.' });
    }
  });

  const out = byId<HTMLButtonElement>('sign-out');
  out.addEventListener('click', async () => {
    showStatus('Signing out…');
    await busy(out, 'Signing out…', () => signOut(signedIn.user));
    location.replace('signin.html?signedout=1');
  });
}
