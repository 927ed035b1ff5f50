/** The small dialog that asks for an API token (until sign-in lands, issue #4). */
export function tokenPrompt(dialog: HTMLDialogElement) {
  return (reason?: string): Promise<string> =>
    new Promise((resolve) => {
      const form = dialog.querySelector('form')!;
      const input = form.elements.namedItem('token') as HTMLInputElement;
      const error = dialog.querySelector<HTMLElement>('.error')!;
      error.hidden = !reason;
      error.textContent = reason ?? '';
      input.value = '';
      const done = () => {
        if (!input.value.trim()) {
          // Cancelled (Escape): ask again, nothing works without a token.
          queueMicrotask(() => dialog.showModal());
          return;
        }
        dialog.removeEventListener('close', done);
        resolve(input.value.trim());
      };
      dialog.addEventListener('close', done);
      if (!dialog.open) dialog.showModal();
      input.focus();
    });
}
