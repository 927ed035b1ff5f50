/**
 * The sign-in page: posts the form as JSON, shows the server's answer
 * (wrong credentials, too many attempts), and goes on to `next` (a local path).
 */
const form = document.querySelector<HTMLFormElement>('[data-testid=sign-in-form]')!;
const error = document.querySelector<HTMLElement>('[data-testid=sign-in-error]')!;
const params = new URLSearchParams(location.search);
const next = /^\/(?![/\\])/.test(params.get('next') ?? '') ? params.get('next')! : '/inbox';
(form.elements.namedItem('next') as HTMLInputElement).value = next;

function showError(message: string): void {
  error.textContent = message;
  error.hidden = false;
}

if (params.get('error')) showError(params.get('error')!);

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  const data = Object.fromEntries(new FormData(form)) as Record<string, string>;
  if (!data.username?.trim() || !data.password) return showError('Enter your user name and password.');
  const button = form.querySelector('button')!;
  button.disabled = true;
  try {
    const res = await fetch('/auth/sign-in', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(data) });
    if (res.ok) {
      location.assign(next);
      return;
    }
    const body = await res.json().catch(() => null);
    showError(body?.error?.message ?? `Sign-in failed (${res.status})`);
    (form.elements.namedItem('password') as HTMLInputElement).select();
  } catch {
    showError('Weft cannot be reached. Check your connection and try again.');
  } finally {
    button.disabled = false;
  }
});
