/**
 * The Wild Rydes demo site's one bundle: each page names itself in <body data-page> and this runs its
 * code. Loaded after /js/config.js, which the server generates for the site's user pool.
 */
import { homePage } from './pages/home.js';
import { registerPage } from './pages/register.js';
import { ridePage } from './pages/ride.js';
import { signInPage } from './pages/sign-in.js';
import { verifyPage } from './pages/verify.js';
import { showProblem } from './ui.js';

const PAGES: Record<string, () => Promise<void>> = {
  home: homePage,
  register: registerPage,
  verify: verifyPage,
  'sign-in': signInPage,
  ride: ridePage,
};

const page = PAGES[document.body.dataset.page ?? ''];
page?.().catch((err: unknown) => {
  showProblem({ text: `This page could not start: ${err instanceof Error ? err.message : String(err)}` });
});
