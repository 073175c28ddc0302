import { currentSession } from '../auth.js';
import { siteConfig } from '../config.js';
import { byId } from '../ui.js';

/** The landing page: fills in the developer details from /js/config.js and greets a signed-in rider. */
export async function homePage(): Promise<void> {
  const { cognito, api } = siteConfig();
  byId('pool-id').textContent = cognito.userPoolId;
  byId('client-id').textContent = cognito.userPoolClientId;
  byId('endpoint').textContent = cognito.endpoint;
  byId('invoke-url').textContent = `${api.invokeUrl}/ride`;
  const jwks = byId<HTMLAnchorElement>('jwks');
  jwks.href = `${cognito.endpoint}${cognito.userPoolId}/.well-known/jwks.json`;
  jwks.textContent = jwks.href;

  const signedIn = await currentSession();
  if (signedIn) {
    const email = String(signedIn.session.getIdToken().decodePayload().email ?? '');
    byId('status').textContent = `You are signed in${email ? ` as ${email}` : ''}.`;
    byId('continue').hidden = false;
  }
}
