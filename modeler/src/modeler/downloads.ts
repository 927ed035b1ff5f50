/** Saving the diagram to a file from the browser. */
export function download(fileName: string, content: string, type: string): void {
  const url = URL.createObjectURL(new Blob([content], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Calls `open` with the text of a .bpmn file dropped anywhere on the page. */
export function acceptDroppedFiles(target: HTMLElement, hint: HTMLElement, open: (name: string, text: string) => void): void {
  let depth = 0;
  const hasFiles = (e: DragEvent) => [...(e.dataTransfer?.types ?? [])].includes('Files');
  target.addEventListener('dragenter', (e) => {
    if (!hasFiles(e)) return;
    depth++;
    hint.hidden = false;
  });
  target.addEventListener('dragleave', () => {
    if (--depth <= 0) hint.hidden = true;
  });
  target.addEventListener('dragover', (e) => {
    if (hasFiles(e)) e.preventDefault();
  });
  target.addEventListener('drop', async (e) => {
    if (!hasFiles(e)) return;
    e.preventDefault();
    depth = 0;
    hint.hidden = true;
    const file = e.dataTransfer!.files[0];
    if (file) open(file.name, await file.text());
  });
}
