/**
 * A dialog that holds an editor (form-js, dmn-js): its menu buttons close it
 * with their value; Save hands back what the editor saves, Cancel (or Escape)
 * null; the editor is destroyed either way.
 */
export function whenClosed<T>(dialog: HTMLDialogElement, save: () => T | Promise<T>, destroy: () => void): Promise<T | null> {
  for (const button of dialog.querySelectorAll<HTMLButtonElement>(':scope > menu button')) {
    button.onclick = () => dialog.close(button.value);
  }
  dialog.returnValue = '';
  return new Promise((resolve) => {
    dialog.addEventListener(
      'close',
      async () => {
        try {
          resolve(dialog.returnValue === 'save' ? await save() : null);
        } finally {
          destroy();
        }
      },
      { once: true },
    );
    if (!dialog.open) dialog.showModal();
  });
}
