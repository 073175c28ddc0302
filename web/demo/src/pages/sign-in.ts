import { signIn } from '../auth.js';
import { describeError } from '../errors.js';
import { busy, byId, clearProblem, field, looksLikeEmail, param, showProblem, showStatus } from '../ui.js';

export async function signInPage(): Promise<void> {
  const form = byId<HTMLFormElement>('signin-form');
  const email = field('email');
  const password = field('password');
  const submit = byId<HTMLButtonElement>('signin-submit');
  email.value = param('email');
  if (param('verified')) showStatus('Your email is verified. Sign in to request a ride.');
  else if (param('signedout')) showStatus('You are signed out.');
  else if (param('next')) showStatus('Please sign in to request a ride.');
  (email.value ? password : email).focus();

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearProblem();
    showStatus('');
    const address = email.value.trim();
    if (!looksLikeEmail(address)) return showProblem({ text: 'Please enter the email address you registered with.' }, 'email');
    if (!password.value) return showProblem({ text: 'Please enter your password.' }, 'password');
    try {
      await busy(submit, 'Signing in…', () => signIn(address, password.value));
      location.assign('ride.html');
    } catch (err) {
      const code = (err as { code?: string }).code;
      showProblem(describeError(err, 'sign-in', address), code === 'UserNotConfirmedException' ? undefined : 'password');
    }
  });
}
