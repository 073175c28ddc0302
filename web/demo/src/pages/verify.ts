import { confirmSignUp, resendCode } from '../auth.js';
import { describeError } from '../errors.js';
import { busy, byId, clearProblem, field, looksLikeEmail, param, showProblem, showStatus } from '../ui.js';

export async function verifyPage(): Promise<void> {
  const form = byId<HTMLFormElement>('verify-form');
  const email = field('email');
  const code = field('code');
  const submit = byId<HTMLButtonElement>('verify-submit');
  const resend = byId<HTMLButtonElement>('resend');
  email.value = param('email');
  const sentTo = param('sent');
  if (email.value) {
    showStatus(`We emailed a 6-digit code to ${sentTo || email.value}. Enter it below to verify your email.`);
    code.focus();
  }

  const checkEmail = (): string | undefined => {
    const address = email.value.trim();
    if (looksLikeEmail(address)) return address;
    showProblem({ text: 'Please enter the email address you registered with.' }, 'email');
    return undefined;
  };

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearProblem();
    const address = checkEmail();
    if (!address) return;
    const digits = code.value.replace(/\s+/g, '');
    if (!/^\d{6}$/.test(digits)) return showProblem({ text: 'The code is the 6 digits from the email we sent you.' }, 'code');
    try {
      await busy(submit, 'Verifying…', () => confirmSignUp(address, digits));
      location.assign(`signin.html?email=${encodeURIComponent(address)}&verified=1`);
    } catch (err) {
      showProblem(describeError(err, 'verify', address), 'code');
    }
  });

  resend.addEventListener('click', async () => {
    clearProblem();
    const address = checkEmail();
    if (!address) return;
    try {
      const delivery = await busy(resend, 'Sending…', () => resendCode(address));
      showStatus(`We sent a new code to ${delivery.CodeDeliveryDetails?.Destination ?? address}. Use the code from the newest email.`);
      code.value = '';
      code.focus();
    } catch (err) {
      showProblem(describeError(err, 'resend', address));
    }
  });
}
