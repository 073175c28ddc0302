import { signUp } from '../auth.js';
import { describeError } from '../errors.js';
import { busy, byId, clearProblem, field, looksLikeEmail, param, showProblem } from '../ui.js';

/** Cognito's default password policy (the demo pool's), as the rules listed on the page. */
const RULES: Record<string, (password: string) => boolean> = {
  length: (p) => p.length >= 8,
  upper: (p) => /[A-Z]/.test(p),
  lower: (p) => /[a-z]/.test(p),
  number: (p) => /[0-9]/.test(p),
  symbol: (p) => /[\^$*.[\]{}()?"!@#%&/\\,><':;|_~`=+\- ]/.test(p),
};

/** Ticks each rule in the list as the password meets it (words for screen readers too). */
function followRules(password: HTMLInputElement): void {
  const update = () => {
    for (const item of document.querySelectorAll<HTMLElement>('#password-rules [data-rule]')) {
      const met = RULES[item.dataset.rule ?? '']?.(password.value) ?? false;
      item.classList.toggle('met', met);
      const state = item.querySelector('.state');
      if (state) state.textContent = met ? ' (done)' : '';
    }
  };
  password.addEventListener('input', update);
  update();
}

export async function registerPage(): Promise<void> {
  const form = byId<HTMLFormElement>('register-form');
  const email = field('email');
  const password = field('password');
  const confirm = field('confirm');
  const submit = byId<HTMLButtonElement>('register-submit');
  email.value = param('email');
  followRules(password);
  field('show-password').addEventListener('change', (e) => {
    const type = (e.target as HTMLInputElement).checked ? 'text' : 'password';
    password.type = type;
    confirm.type = type;
  });

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearProblem();
    const address = email.value.trim();
    if (!looksLikeEmail(address)) return showProblem({ text: 'Please enter a valid email address, such as rider@example.com.' }, 'email');
    if (!password.value) return showProblem({ text: 'Please choose a password that follows the rules below.' }, 'password');
    if (password.value !== confirm.value) return showProblem({ text: 'The passwords do not match. Type the same password in both fields.' }, 'confirm');
    try {
      const result = await busy(submit, 'Creating your account…', () => signUp(address, password.value));
      const sentTo = result.codeDeliveryDetails?.Destination ?? '';
      location.assign(`verify.html?email=${encodeURIComponent(address)}&sent=${encodeURIComponent(sentTo)}`);
    } catch (err) {
      const code = (err as { code?: string }).code;
      showProblem(describeError(err, 'register', address), code === 'InvalidPasswordException' ? 'password' : 'email');
    }
  });
}
